#include "ui/SettingsDialog.h"

#include "core/launch/Terminals.h"
#include "core/launch/Viewers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace bl {

namespace {

QComboBox* programCombo(const QString& objectName, const QStringList& known, QWidget* parent)
{
    auto* combo = new QComboBox(parent);
    combo->setObjectName(objectName);
    combo->setEditable(true);
    combo->setInsertPolicy(QComboBox::NoInsert);
    combo->addItem(QString());
    combo->addItems(known);
    combo->lineEdit()->setPlaceholderText(QObject::tr("automatic (first one installed)"));
    return combo;
}

} // namespace

SettingsDialog::SettingsDialog(AppSettings& settings, QStringList profiles, QWidget* parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_terminal(programCombo(QStringLiteral("terminalCombo"), Terminals::known(), this))
    , m_rdpViewer(programCombo(QStringLiteral("rdpViewerCombo"), Viewers::rdpViewers(), this))
    , m_vncViewer(programCombo(QStringLiteral("vncViewerCombo"), Viewers::vncViewers(), this))
    , m_transport(new QComboBox(this))
    , m_refresh(new QSpinBox(this))
    , m_allRegions(new QCheckBox(tr("List instances from &every enabled region"), this))
    , m_regions(new QTableWidget(0, 2, this))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));
    m_transport->setObjectName(QStringLiteral("transportCombo"));
    m_refresh->setObjectName(QStringLiteral("refreshSpin"));
    m_allRegions->setObjectName(QStringLiteral("allRegionsCheck"));
    m_regions->setObjectName(QStringLiteral("regionsTable"));
    m_error->setObjectName(QStringLiteral("errorLabel"));
    m_buttons->button(QDialogButtonBox::Save)->setObjectName(QStringLiteral("saveButton"));

    m_transport->addItem(tr("Automatic (EICE, else Session Manager, else direct)"), QStringLiteral("auto"));
    m_transport->addItem(tr("EC2 Instance Connect Endpoint"), QStringLiteral("eice"));
    m_transport->addItem(tr("Direct TCP"), QStringLiteral("direct"));
    m_transport->addItem(tr("Session Manager (SSM)"), QStringLiteral("ssm"));
    m_refresh->setRange(0, AppSettings::MaxRefreshIntervalSeconds);
    m_refresh->setSuffix(tr(" s"));
    m_refresh->setSpecialValueText(tr("by hand only"));
    m_regions->setHorizontalHeaderLabels({tr("Profile"), tr("Regions")});
    m_regions->horizontalHeader()->setStretchLastSection(true);
    m_regions->verticalHeader()->hide();
    m_regions->setToolTip(tr("\"all\", a list such as eu-west-1, us-east-1, or empty for the profile's own region"));
    m_error->setWordWrap(true);
    m_error->hide();

    auto* form = new QFormLayout;
    form->addRow(tr("&Terminal:"), m_terminal);
    form->addRow(tr("&RDP viewer:"), m_rdpViewer);
    form->addRow(tr("&VNC viewer:"), m_vncViewer);
    form->addRow(tr("Default &transport:"), m_transport);
    form->addRow(tr("Re&fresh every:"), m_refresh);
    form->addRow(QString(), m_allRegions);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(
        new QLabel(tr("Regions per profile (\"all\", a list, or empty for the profile's region):"), this));
    layout->addWidget(m_regions, 1);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    resize(560, 520);

    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    load(m_settings.values(), std::move(profiles));
}

void SettingsDialog::load(const AppSettingsValues& v, QStringList profiles)
{
    m_terminal->setCurrentText(v.terminal);
    m_rdpViewer->setCurrentText(v.rdpViewer);
    m_vncViewer->setCurrentText(v.vncViewer);
    m_transport->setCurrentIndex(qMax(0, m_transport->findData(v.defaultTransport)));
    m_refresh->setValue(v.refreshIntervalSeconds);
    m_allRegions->setChecked(v.allRegions);

    for (const QString& p : v.profileRegions.keys()) {
        if (!profiles.contains(p))
            profiles.append(p);
    }
    m_regions->setRowCount(static_cast<int>(profiles.size()));
    for (int row = 0; row < profiles.size(); ++row) {
        auto* name = new QTableWidgetItem(profiles.at(row));
        name->setFlags(name->flags() & ~Qt::ItemIsEditable);
        m_regions->setItem(row, 0, name);
        const auto it = v.profileRegions.constFind(profiles.at(row));
        const QString text = it == v.profileRegions.constEnd() ? QString() : AppSettings::formatRegions(*it);
        m_regions->setItem(row, 1, new QTableWidgetItem(text));
    }
}

Result<AppSettingsValues> SettingsDialog::formValues() const
{
    AppSettingsValues v = m_settings.values();
    v.terminal = m_terminal->currentText().trimmed();
    v.rdpViewer = m_rdpViewer->currentText().trimmed();
    v.vncViewer = m_vncViewer->currentText().trimmed();
    v.defaultTransport = m_transport->currentData().toString();
    v.refreshIntervalSeconds = m_refresh->value();
    v.allRegions = m_allRegions->isChecked();
    v.profileRegions.clear();
    for (int row = 0; row < m_regions->rowCount(); ++row) {
        const QString profile = m_regions->item(row, 0)->text();
        const QTableWidgetItem* cell = m_regions->item(row, 1);
        Result<ProfileRegions> regions = AppSettings::parseRegions(cell ? cell->text() : QString());
        if (!regions.ok()) {
            Error e = regions.error();
            e.message = tr("Profile %1: %2").arg(profile, e.message);
            return e;
        }
        if (!regions->isDefault())
            v.profileRegions.insert(profile, regions.value());
    }
    return v;
}

void SettingsDialog::save()
{
    Result<AppSettingsValues> values = formValues();
    Result<void> saved = values.ok() ? m_settings.save(values.value()) : Result<void>(values.error());
    if (!saved.ok()) {
        const Error& e = saved.error();
        m_error->setText(e.hint.isEmpty() ? e.message : e.message + QLatin1Char('\n') + e.hint);
        m_error->show();
        return;
    }
    accept();
}

} // namespace bl
