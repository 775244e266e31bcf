#pragma once
// The app's toolbar and window icons. The desktop's icon theme wins when it has the icon; otherwise we paint
// our own, so the toolbar never shows blanks (and no SVG image plugin is needed at run time).

#include <QIcon>

namespace bl {

class Icons
{
public:
    static QIcon refresh();
    static QIcon terminal();
    static QIcon remoteDesktop();
    static QIcon vnc();
    static QIcon start();
    static QIcon stop();
    static QIcon app();
};

} // namespace bl
