#pragma once
// Which OS user to log in as when the person did not say: the AWS CLI always assumes ec2-user, which is wrong
// for Ubuntu (ubuntu), Debian (admin) and others. Order: an explicit choice, a per-instance override, the
// instance's `bastionless:os-user` tag (a team can set it once), a guess from EC2's platform details and the
// image-related tags, then the configured default, then ec2-user.

#include "core/aws/api/Types.h"

namespace bl {

class OsUser
{
public:
    static constexpr const char* TagKey = "bastionless:os-user";

    struct Choice
    {
        QString user;
        QString reason; // for -v and tooltips: "tag bastionless:os-user", "Ubuntu image", "default"
    };

    // explicitUser / overrideUser / defaultUser may be empty.
    static Choice choose(const Instance& instance, const QString& explicitUser, const QString& overrideUser = {},
                         const QString& defaultUser = {});
    // The guess alone; empty when nothing hints at a user.
    static QString guess(const Instance& instance);
};

} // namespace bl
