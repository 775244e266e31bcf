#include "core/secrets/AppSettingsFile.h"

namespace bl {

std::unique_ptr<QSettings> AppSettingsFile::open()
{
    // NativeFormat and UserScope are what a default-constructed QSettings uses in the app.
    return std::make_unique<QSettings>(QSettings::NativeFormat, QSettings::UserScope, QLatin1String(Organization),
                                       QLatin1String(Application));
}

} // namespace bl
