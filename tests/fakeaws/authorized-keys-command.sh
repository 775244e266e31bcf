#!/bin/sh
# sshd AuthorizedKeysCommand for fakeaws end-to-end tests: prints the public keys fakeaws's
# SendSSHPublicKey accepted for <instance-id> and <user> during the last 60 seconds, like the
# ec2-instance-connect package does on a real instance. Lines in <pushedKeysDir>/<user>.keys are
# "<unix-seconds> <instance-id> <public key line>".
#
#   AuthorizedKeysCommand /path/authorized-keys-command.sh /path/to/pushed-keys i-0123456789abcdef0 %u
#
# An instance id of "*" accepts keys pushed for any instance (the demo: one sshd stands in for every instance).
set -eu

if [ "$#" -ne 3 ]; then
    echo "usage: $0 <pushedKeysDir> <instance-id> <user>" >&2
    exit 2
fi
dir=$1
instance=$2
user=$3

# The user name becomes a file name: refuse anything that could leave the directory.
case $user in
    "" | .* | */* | *[!A-Za-z0-9@._\$-]*) exit 0 ;;
esac

file=$dir/$user.keys
[ -r "$file" ] || exit 0

now=$(date +%s)
awk -v now="$now" -v id="$instance" '
    (id == "*" || $2 == id) && $1 ~ /^[0-9]+$/ && now - $1 >= 0 && now - $1 <= 60 {
        line = $0
        sub(/^[^ ]+ [^ ]+ /, "", line)
        print line
    }
' "$file"
