#pragma once
// How bastionless-cli prints instances: an aligned table for people, a JSON array for scripts.

#include "core/aws/api/Types.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace bl::cli {

QJsonObject instanceToJson(const Instance& instance);
QByteArray instancesToJson(const QList<Instance>& instances);
// Columns NAME, ID, STATE, TYPE, REGION, AZ, PRIVATE IP, PUBLIC IP, PLATFORM; "-" for empty cells.
QByteArray instancesToTable(const QList<Instance>& instances);
// Sort for display: region, then name, then id.
void sortInstances(QList<Instance>& instances);

} // namespace bl::cli
