#include "core/connect/OsUser.h"

namespace bl {

namespace {

// The login user of the images people launch most, by a word found in PlatformDetails or an image tag.
struct Known
{
    const char* word;
    const char* user;
};
constexpr Known known[] = {
    {"ubuntu", "ubuntu"},    {"debian", "admin"},       {"fedora", "fedora"},         {"centos", "centos"},
    {"rocky", "rocky"},      {"almalinux", "ec2-user"}, {"bitnami", "bitnami"},       {"freebsd", "ec2-user"},
    {"red hat", "ec2-user"}, {"suse", "ec2-user"},      {"amazon linux", "ec2-user"},
};

QString match(const QString& text)
{
    const QString lower = text.toLower();
    for (const Known& k : known) {
        if (lower.contains(QLatin1String(k.word)))
            return QLatin1String(k.user);
    }
    return {};
}

} // namespace

QString OsUser::guess(const Instance& instance)
{
    if (instance.isWindows())
        return QStringLiteral("Administrator");
    // PlatformDetails names the licensed OS ("Ubuntu Pro", "Red Hat Enterprise Linux"); plain images say
    // "Linux/UNIX", so image tags that teams often set come next.
    QString user = match(instance.platformDetails);
    if (!user.isEmpty())
        return user;
    for (const char* key : {"os", "OS", "Os", "ami", "image", "Image", "distribution"}) {
        user = match(instance.tag(QLatin1String(key)));
        if (!user.isEmpty())
            return user;
    }
    return {};
}

OsUser::Choice OsUser::choose(const Instance& instance, const QString& explicitUser, const QString& overrideUser,
                              const QString& defaultUser)
{
    if (!explicitUser.isEmpty())
        return {explicitUser, QStringLiteral("given")};
    if (!overrideUser.isEmpty())
        return {overrideUser, QStringLiteral("set for this instance")};
    const QString tagged = instance.tag(QLatin1String(TagKey)).trimmed();
    if (!tagged.isEmpty())
        return {tagged, QStringLiteral("tag %1").arg(QLatin1String(TagKey))};
    const QString guessed = guess(instance);
    if (!guessed.isEmpty())
        return {guessed,
                QStringLiteral("guessed from the image (%1)")
                    .arg(instance.platformDetails.isEmpty() ? instance.platform : instance.platformDetails)};
    if (!defaultUser.isEmpty())
        return {defaultUser, QStringLiteral("default setting")};
    return {QStringLiteral("ec2-user"), QStringLiteral("default, as the AWS CLI")};
}

} // namespace bl
