#include "app/cli/TerminalPrompt.h"

#include <QPointer>
#include <QSocketNotifier>
#include <QTimer>

#include <fcntl.h>
#include <unistd.h>

namespace bl::cli {

MfaPrompt TerminalPrompt::mfaPrompt()
{
    return [](const QString& serial, QObject* context, Callback<QString> answer) {
        const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
            QTimer::singleShot(0, context, [answer, serial] {
                answer(Error::make(ErrorKind::Credentials,
                                   QStringLiteral("The profile needs an MFA code for %1, but there is no terminal to "
                                                  "ask for it")
                                       .arg(serial),
                                   QStringLiteral("Run the command in a terminal, or use a profile without "
                                                  "mfa_serial.")));
            });
            return;
        }
        const QByteArray prompt = QStringLiteral("Enter MFA code for %1: ").arg(serial).toUtf8();
        if (::write(fd, prompt.constData(), size_t(prompt.size())) < 0) {
            // Reading still works; the person just does not see the prompt.
        }
        auto* notifier = new QSocketNotifier(fd, QSocketNotifier::Read, context);
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(notifier, &QSocketNotifier::activated, context, [notifier, fd, buffer, answer] {
            char chunk[64];
            const ssize_t n = ::read(fd, chunk, sizeof chunk);
            if (n > 0)
                buffer->append(chunk, n);
            if (n <= 0 || buffer->contains('\n')) {
                notifier->setEnabled(false);
                notifier->deleteLater();
                ::close(fd);
                const QString code = QString::fromUtf8(buffer->left(buffer->indexOf('\n'))).trimmed();
                if (code.isEmpty())
                    answer(Error::make(ErrorKind::Cancelled, QStringLiteral("No MFA code entered")));
                else
                    answer(code);
            }
        });
    };
}

} // namespace bl::cli
