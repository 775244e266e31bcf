#include "app/cli/PushKeyCommand.h"

#include "app/cli/Console.h"
#include "app/cli/ExitCodes.h"
#include "app/cli/UnixSignals.h"
#include "core/aws/api/InstanceConnectClient.h"
#include "core/aws/api/InstanceInventory.h"
#include "core/keys/RuntimeDir.h"
#include "core/keys/SshAgent.h"

#include <QFile>
#include <QTimer>

#include <cstdio>

namespace bl::cli {

namespace {

const QCommandLineOption osUserOpt(QStringLiteral("os-user"),
                                   QStringLiteral("User on the instance (default: ec2-user)."), QStringLiteral("user"),
                                   QStringLiteral("ec2-user"));
const QCommandLineOption publicKeyOpt(QStringLiteral("public-key"),
                                      QStringLiteral("Push this OpenSSH public key file instead of a fresh key."),
                                      QStringLiteral("file"));
const QCommandLineOption noWaitOpt(QStringLiteral("no-wait"),
                                   QStringLiteral("With a fresh key and no ssh-agent: print the key file and exit "
                                                  "without removing it (you remove it)."));

} // namespace

PushKeyCommand::~PushKeyCommand() = default;

void PushKeyCommand::configure(QCommandLineParser& parser)
{
    parser.addPositionalArgument(QStringLiteral("instance"), QStringLiteral("Instance id or Name tag."));
    parser.addOptions({osUserOpt, publicKeyOpt, noWaitOpt});
}

Result<void> PushKeyCommand::prepare(const QCommandLineParser& parser)
{
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 1) {
        return Error::make(ErrorKind::Usage,
                           pos.isEmpty() ? QStringLiteral("push-key needs an instance id or name")
                                         : QStringLiteral("push-key takes one instance, got %1").arg(pos.size()),
                           QStringLiteral("bastionless-cli push-key i-0123456789abcdef0 [--os-user ec2-user]"));
    }
    m_target = pos.first();
    m_osUser = parser.value(osUserOpt);
    m_wait = !parser.isSet(noWaitOpt);
    if (parser.isSet(publicKeyOpt)) {
        m_publicKeyFile = parser.value(publicKeyOpt);
        QFile f(m_publicKeyFile);
        if (!f.open(QIODevice::ReadOnly)) {
            return Error::make(ErrorKind::Usage,
                               QStringLiteral("Cannot read %1: %2").arg(m_publicKeyFile, f.errorString()));
        }
        const QByteArray data = f.read(16384);
        if (data.contains("PRIVATE KEY")) {
            return Error::make(ErrorKind::Usage, QStringLiteral("%1 is a private key").arg(m_publicKeyFile),
                               QStringLiteral("Pass the public key (the .pub file); private keys never leave this "
                                              "machine"));
        }
        m_publicKeyLine = QString::fromUtf8(data.split('\n').first()).trimmed();
        if (!m_publicKeyLine.startsWith(QLatin1String("ssh-"))
            && !m_publicKeyLine.startsWith(QLatin1String("ecdsa-"))) {
            return Error::make(ErrorKind::Usage, QStringLiteral("%1 is not an OpenSSH public key").arg(m_publicKeyFile),
                               QStringLiteral("Expected a line such as 'ssh-ed25519 AAAA... comment'"));
        }
    }
    return {};
}

void PushKeyCommand::start()
{
    auto session = m_services.session();
    if (!session) {
        fail(session.error());
        return;
    }
    if (m_publicKeyLine.isEmpty()) {
        auto key = Ed25519KeyPair::generate(QStringLiteral("bastionless-%1").arg(m_target));
        if (!key) {
            fail(key.error());
            return;
        }
        m_key.emplace(std::move(key.value()));
        m_publicKeyLine = m_key->publicKeyLine();
    }
    QStringList regions = m_services.options().regions;
    if (regions.isEmpty() && !m_services.region().isEmpty())
        regions << m_services.region();
    m_inventory = new InstanceInventory(*session.value(), this);
    m_inventory->resolve(m_target, regions, [this](Result<Instance> instance) {
        if (!instance) {
            Error e = instance.error();
            // The inventory calls an ambiguous name a usage error; the CLI's contract (README, ExitCodes.h)
            // gives it exit code 4 like a name that matches nothing.
            if (e.kind == ErrorKind::Usage)
                e.kind = ErrorKind::NotFound;
            fail(e);
            return;
        }
        push(instance.value());
    });
}

void PushKeyCommand::push(const Instance& instance)
{
    auto session = m_services.session();
    InstanceConnectClient client(*session.value());
    client.sendSshPublicKey(instance.region, instance.id, m_osUser, m_publicKeyLine, QString(), this,
                            [this, instance](Result<void> r) {
                                if (!r) {
                                    fail(r.error());
                                    return;
                                }
                                pushed(instance);
                            });
}

void PushKeyCommand::pushed(const Instance& instance)
{
    const QString until = QDateTime::currentDateTime().addSecs(KeyValiditySecs).toString(QStringLiteral("HH:mm:ss"));
    const QString who =
        instance.name.isEmpty() ? instance.id : QStringLiteral("%1 (%2)").arg(instance.id, instance.name);
    const QString keyDesc = m_key
        ? QStringLiteral("new ssh-ed25519 key %1").arg(m_key->fingerprint())
        : QStringLiteral("%1 from %2").arg(m_publicKeyLine.section(QLatin1Char(' '), 0, 0), m_publicKeyFile);
    printOut(QStringLiteral(
                 "Pushed %1 for %2@%3 in %4.\nValid for %5 seconds (until %6): start the SSH login before then.\n")
                 .arg(keyDesc, m_osUser, who, instance.region)
                 .arg(KeyValiditySecs)
                 .arg(until));
    if (!m_key) {
        done(ExitOk);
        return;
    }
    keepPrivateKey(instance);
}

void PushKeyCommand::keepPrivateKey(const Instance& instance)
{
    Q_UNUSED(instance)
    const QString agentSocket = SshAgent::socketPathFromEnvironment();
    if (!agentSocket.isEmpty()) {
        m_agent = new SshAgent(agentSocket, this);
        // A little longer than the key's validity so an ssh started at second 59 can still use it.
        m_agent->addKey(*m_key, std::chrono::seconds(KeyValiditySecs + 30), [this](Result<void> r) {
            if (r) {
                printOut(
                    QStringLiteral("The private key is in your ssh-agent for %1 seconds.\n").arg(KeyValiditySecs + 30));
                done(ExitOk);
                return;
            }
            printErr(QStringLiteral("warning: could not add the key to ssh-agent: %1\n").arg(r.error().summary()));
            m_agent = nullptr;
            keepPrivateKey({});
        });
        return;
    }
    auto dir = RuntimeDir::ensureDefault();
    if (!dir) {
        fail(dir.error());
        return;
    }
    auto file = EphemeralKeyFile::create(dir.value(), *m_key);
    if (!file) {
        fail(file.error());
        return;
    }
    m_keyFile.emplace(std::move(file.value()));
    printOut(QStringLiteral("Private key: %1\n").arg(m_keyFile->path()));
    if (!m_wait) {
        printOut(QStringLiteral("Remove it when you are done (it is in your private runtime directory).\n"));
        m_keyFile->release(); // the person asked to manage the file
        done(ExitOk);
        return;
    }
    printOut(
        QStringLiteral("It is removed when this command ends, in %1 seconds or on Ctrl-C.\n").arg(KeyValiditySecs));
    auto* signals = new UnixSignals(this);
    connect(signals, &UnixSignals::interrupted, this, [this] { done(ExitOk); });
    QTimer::singleShot(KeyValiditySecs * 1000, this, [this] { done(ExitOk); });
}

void PushKeyCommand::done(int code)
{
    if (m_keyFile)
        m_keyFile->remove();
    Q_EMIT finished(code);
}

} // namespace bl::cli
