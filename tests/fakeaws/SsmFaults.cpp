#include "SsmFaults.h"

#include <QStringList>

#include <type_traits>

namespace fakeaws {

namespace {

// SplitMix64 finaliser: a good enough hash to turn (seed, kind, seq, attempt) into independent draws.
quint64 mix(quint64 x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

} // namespace

double SsmFaults::uniform(Kind kind, qint64 seq, int attempt) const
{
    quint64 h = mix(seed);
    h = mix(h ^ static_cast<quint64>(kind));
    h = mix(h ^ static_cast<quint64>(seq));
    h = mix(h ^ static_cast<quint64>(attempt));
    return static_cast<double>(h >> 11) / static_cast<double>(1ull << 53);
}

bool SsmFaults::hits(Kind kind, qint64 seq, int attempt) const
{
    double p = 0;
    switch (kind) {
    case Kind::Drop:
        p = drop;
        break;
    case Kind::Duplicate:
        p = duplicate;
        break;
    case Kind::Reorder:
        p = reorder;
        break;
    case Kind::Delay:
        p = delay;
        break;
    case Kind::DropInbound:
        p = dropInbound;
        break;
    case Kind::WithholdAck:
        p = withholdAcks;
        break;
    case Kind::Split:
        p = splitSmux ? 1 : 0;
        break;
    }
    return p > 0 && uniform(kind, seq, attempt) < p;
}

int SsmFaults::pick(Kind kind, qint64 seq, int range) const
{
    if (range <= 1)
        return 0;
    return static_cast<int>(uniform(kind, seq, 1 << 20) * range) % range;
}

bool SsmFaults::any() const
{
    return drop > 0 || duplicate > 0 || reorder > 0 || delay > 0 || dropInbound > 0 || withholdAcks > 0
        || killAfterBytes >= 0 || nulPaddedType || splitSmux || publicationNoticeEvery > 0 || nullTokenResumes > 0;
}

std::optional<SsmFaults> SsmFaults::parse(const QString& spec, QString* error)
{
    SsmFaults f;
    const QStringList items = spec.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString& raw : items) {
        const QString item = raw.trimmed();
        const QString key = item.section(QLatin1Char('='), 0, 0).trimmed();
        const QString value = item.section(QLatin1Char('='), 1).trimmed();
        bool ok = false;
        const double number = value.toDouble(&ok);
        auto probability = [&](double* into) {
            if (!ok || number < 0 || number > 1)
                return false;
            *into = number;
            return true;
        };
        auto integer = [&](auto* into, double min) {
            if (!ok || number < min || number != static_cast<double>(static_cast<qint64>(number)))
                return false;
            *into = static_cast<std::remove_pointer_t<decltype(into)>>(number);
            return true;
        };
        bool good = false;
        if (key == QLatin1String("drop"))
            good = probability(&f.drop);
        else if (key == QLatin1String("duplicate"))
            good = probability(&f.duplicate);
        else if (key == QLatin1String("reorder"))
            good = probability(&f.reorder);
        else if (key == QLatin1String("delay"))
            good = probability(&f.delay);
        else if (key == QLatin1String("drop-in"))
            good = probability(&f.dropInbound);
        else if (key == QLatin1String("withhold-acks"))
            good = probability(&f.withholdAcks);
        else if (key == QLatin1String("delay-ms"))
            good = integer(&f.delayMs, 0);
        else if (key == QLatin1String("seed"))
            good = integer(&f.seed, 0);
        else if (key == QLatin1String("kill-after"))
            good = integer(&f.killAfterBytes, -1);
        else if (key == QLatin1String("kill-every"))
            good = integer(&f.killEveryTime, 0);
        else if (key == QLatin1String("nul-type"))
            good = integer(&f.nulPaddedType, 0);
        else if (key == QLatin1String("split"))
            good = integer(&f.splitSmux, 0);
        else if (key == QLatin1String("notice-every"))
            good = integer(&f.publicationNoticeEvery, 0);
        else if (key == QLatin1String("null-token"))
            good = integer(&f.nullTokenResumes, 0);
        else {
            *error = QStringLiteral("unknown SSM fault \"%1\"; known: drop, duplicate, reorder, delay, delay-ms, "
                                    "drop-in, withhold-acks, seed, kill-after, kill-every, nul-type, split, "
                                    "notice-every, null-token")
                         .arg(key);
            return std::nullopt;
        }
        if (!good) {
            *error = QStringLiteral("SSM fault \"%1\": bad value \"%2\" (probabilities are 0..1, the rest whole "
                                    "numbers)")
                         .arg(key, value);
            return std::nullopt;
        }
    }
    return f;
}

} // namespace fakeaws
