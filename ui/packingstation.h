#pragma once

#include "scanning/codeclassifier.h"
#include "scanning/packingsession.h"
#include "scanning/scandecoder.h"
#include "storage/orderstore.h"

#include <QDialog>

#include <memory>
#include <optional>

class QLabel;
class QLineEdit;
class QTableWidget;

namespace sd::ui {

// The packing station: full screen, large type, keyboard and scanner only. Scan an order (its number, marketplace
// id, tracking number or label) and its lines appear; each item scan ticks one unit; a wrong item or an extra unit
// is refused in red with a beep; the last unit records order.packed and the rules on it do the rest (label, status,
// printouts). F5 pauses, F8 reports missing items (the order moves to a chosen status), F9 turns sounds on or off,
// Esc leaves (pausing the open order). A code typed by hand goes into the field at the bottom + Enter.
class PackingStation : public QDialog
{
    Q_OBJECT

public:
    enum class View { Waiting, InProgress, Wrong, Complete };

    PackingStation(std::shared_ptr<storage::Database> db, storage::ChangeContext who, QWidget *parent = nullptr);
    ~PackingStation() override;

    View view() const { return m_view; }
    QString message() const;
    QLineEdit *entry() const { return m_entry; }
    QTableWidget *lines() const { return m_lines; }
    const scanning::PackingSession *session() const { return m_session ? &*m_session : nullptr; }

    void handleScan(const QString &code);
    void pause();
    // "Missing item" with the status chosen (F8 asks for it).
    void reportMissing(const QString &status);
    void setSounds(bool on);
    bool sounds() const { return m_settings.sounds; }

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void reject() override;

private:
    void openOrder(qint64 orderId, const QString &how);
    void showState(View view, const QString &message);
    void fillLines(int highlight = -1);
    void askMissing();

    std::shared_ptr<storage::Database> m_db;
    storage::OrderStore m_store;
    storage::ChangeContext m_who;
    scanning::CodeClassifier m_classifier;
    scanning::ScannerSettings m_settings;
    std::optional<scanning::PackingSession> m_session;
    View m_view = View::Waiting;
    QLabel *m_banner = nullptr;
    QLabel *m_order = nullptr;
    QLabel *m_message = nullptr;
    QLabel *m_help = nullptr;
    QTableWidget *m_lines = nullptr;
    QLineEdit *m_entry = nullptr;
};

} // namespace sd::ui
