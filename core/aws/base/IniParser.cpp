#include "core/aws/base/IniParser.h"

#include <QStringList>

#include <optional>

namespace bl {

namespace {

const QString kLineHint = QStringLiteral(
    "Each line must be a [section] header, \"key = value\", an indented continuation of the key above, or a "
    "comment line starting with # or ;. Fix or remove that line.");

int indentOf(const QString& line)
{
    int n = 0;
    while (n < line.size() && line.at(n).isSpace())
        ++n;
    return n;
}

// One key whose value may continue on more-indented lines; kept until the next key closes it.
struct OpenKey
{
    QString key;
    int indent = 0;
    QStringList lines; // first line = the text after the separator
    QList<int> lineNumbers;
};

class Parser
{
public:
    explicit Parser(const QString& fileName)
        : m_fileName(fileName)
    { }

    Result<QList<IniSection>> run(const QByteArray& text)
    {
        QString content = QString::fromUtf8(text);
        if (content.startsWith(QChar(0xFEFF)))
            content.remove(0, 1);
        const QStringList lines = content.split(QLatin1Char('\n'));
        for (int i = 0; i < lines.size(); ++i) {
            QString line = lines.at(i);
            if (line.endsWith(QLatin1Char('\r')))
                line.chop(1);
            if (auto failed = feed(line, i + 1))
                return *failed;
        }
        if (auto failed = closeKey())
            return *failed;
        return m_sections;
    }

private:
    std::optional<Error> feed(const QString& line, int lineNo)
    {
        const QString stripped = line.trimmed();
        // Blank and comment lines neither open nor close a value, as in RawConfigParser.
        if (stripped.isEmpty() || stripped.startsWith(QLatin1Char('#')) || stripped.startsWith(QLatin1Char(';')))
            return std::nullopt;

        const int indent = indentOf(line);
        if (m_open && indent > m_open->indent) {
            m_open->lines.append(stripped);
            m_open->lineNumbers.append(lineNo);
            return std::nullopt;
        }
        if (auto failed = closeKey())
            return failed;

        const qsizetype close = stripped.lastIndexOf(QLatin1Char(']'));
        if (stripped.startsWith(QLatin1Char('[')) && close > 1) {
            IniSection section;
            section.header = stripped.mid(1, close - 1).trimmed();
            section.line = lineNo;
            m_sections.append(section);
            return std::nullopt;
        }
        if (m_sections.isEmpty())
            return lineError(lineNo, QStringLiteral("a setting before any [section] header"));

        const qsizetype eq = stripped.indexOf(QLatin1Char('='));
        const qsizetype colon = stripped.indexOf(QLatin1Char(':'));
        qsizetype sep = eq;
        if (sep < 0 || (colon >= 0 && colon < sep))
            sep = colon;
        if (sep < 0)
            return lineError(lineNo, QStringLiteral("neither a [section] header nor \"key = value\""));
        const QString key = stripped.left(sep).trimmed().toLower();
        if (key.isEmpty())
            return lineError(lineNo, QStringLiteral("a value without a key"));
        m_open = OpenKey {key, indent, {stripped.mid(sep + 1).trimmed()}, {lineNo}};
        return std::nullopt;
    }

    std::optional<Error> closeKey()
    {
        if (!m_open)
            return std::nullopt;
        const OpenKey open = *m_open;
        m_open.reset();
        IniSection& section = m_sections.last();

        // botocore: a value that starts on the next line is a sub-dictionary of "k = v" lines.
        if (open.lines.first().isEmpty() && open.lines.size() > 1) {
            QMap<QString, QString> sub;
            for (int i = 1; i < open.lines.size(); ++i) {
                const QString& text = open.lines.at(i);
                const qsizetype eq = text.indexOf(QLatin1Char('='));
                const QString subKey = eq < 0 ? QString() : text.left(eq).trimmed().toLower();
                if (subKey.isEmpty())
                    return lineError(
                        open.lineNumbers.at(i),
                        QStringLiteral("a line in the nested block \"%1\" that is not \"key = value\"").arg(open.key));
                sub.insert(subKey, text.mid(eq + 1).trimmed());
            }
            section.values.remove(open.key);
            section.nested.insert(open.key, sub);
            return std::nullopt;
        }
        section.nested.remove(open.key);
        section.values.insert(open.key, open.lines.join(QLatin1Char('\n')).trimmed());
        return std::nullopt;
    }

    Error lineError(int lineNo, const QString& what) const
    {
        // The line itself is not quoted: in the credentials file it may hold a secret key.
        return Error::make(ErrorKind::Config,
                           QStringLiteral("%1:%2: cannot parse line: %3").arg(m_fileName).arg(lineNo).arg(what),
                           kLineHint);
    }

    QString m_fileName;
    QList<IniSection> m_sections;
    std::optional<OpenKey> m_open;
};

} // namespace

Result<QList<IniSection>> IniParser::parse(const QByteArray& text, const QString& fileName)
{
    return Parser(fileName).run(text);
}

} // namespace bl
