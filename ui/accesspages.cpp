#include "accesspages.h"

#include "access/backup.h"
#include "access/session.h"
#include "databaseconnectiondialog.h"
#include "logindialog.h"
#include "usersdialog.h"

#include <QAction>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>

namespace sd::ui {

namespace AccessPages {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("sd::ui::AccessPages", text);
}

void backUp(const std::shared_ptr<storage::Database> &db, QWidget *parent)
{
    if (db->isPostgres()) {
        QMessageBox::information(parent, tr("Back up"),
                                 tr("A shared PostgreSQL database is backed up on the server with pg_dump "
                                    "(see docs/deployment.md)."));
        return;
    }
    const QString suggested = QDir::home().filePath(
        u"sellerdesk-"_qs + QDateTime::currentDateTime().toString(u"yyyy-MM-dd-HHmm"_qs) + u".sqlite"_qs);
    const QString file =
        QFileDialog::getSaveFileName(parent, tr("Back up the profile"), suggested, tr("SellerDesk backups (*.sqlite)"));
    if (file.isEmpty())
        return;
    auto report = access::createBackup(db->describe(), file);
    if (!report)
        QMessageBox::warning(parent, tr("Back up"), report.error().userMessage);
    else
        QMessageBox::information(parent, tr("Back up"),
                                 tr("The profile was saved to %1.").arg(QDir::toNativeSeparators(file)));
}

void restore(const std::shared_ptr<storage::Database> &db, QWidget *parent)
{
    if (db->isPostgres()) {
        backUp(db, parent);
        return;
    }
    if (auto r = access::require(access::Permission::ManageSettings); !r) {
        QMessageBox::warning(parent, tr("Restore"), r.error().userMessage);
        return;
    }
    const QString file = QFileDialog::getOpenFileName(parent, tr("Restore a backup"), QDir::homePath(),
                                                      tr("SellerDesk backups (*.sqlite)"));
    if (file.isEmpty())
        return;
    // Destructive: replaces every order, document and setting of the profile.
    if (QMessageBox::question(parent, tr("Restore"),
                              tr("Replace everything in this profile with the backup %1? SellerDesk closes "
                                 "afterwards; start it again.")
                                  .arg(QDir::toNativeSeparators(file))) != QMessageBox::Yes)
        return;
    const QString target = db->describe();
    db->closeThreadConnection();
    auto report = access::restoreBackup(file, target);
    if (!report) {
        QMessageBox::warning(parent, tr("Restore"), report.error().userMessage);
        return;
    }
    QMessageBox::information(parent, tr("Restore"), tr("The backup was restored. SellerDesk closes now."));
    QCoreApplication::quit();
}

} // namespace

void addActions(QMenu *settingsMenu, const std::shared_ptr<storage::Database> &db, QWidget *parent)
{
    auto *users = settingsMenu->addAction(tr("Users and roles…"));
    QObject::connect(users, &QAction::triggered, parent, [db, parent] { openPage(u"users"_qs, db, parent); });
    auto *connection = settingsMenu->addAction(tr("Connect to the warehouse database…"));
    QObject::connect(connection, &QAction::triggered, parent,
                     [db, parent] { openPage(u"database-connection"_qs, db, parent); });
    settingsMenu->addSeparator();
    auto *backup = settingsMenu->addAction(tr("Back up the profile…"));
    QObject::connect(backup, &QAction::triggered, parent, [db, parent] { backUp(db, parent); });
    auto *restoreAction = settingsMenu->addAction(tr("Restore a backup…"));
    QObject::connect(restoreAction, &QAction::triggered, parent, [db, parent] { restore(db, parent); });
}

bool openPage(const QString &page, const std::shared_ptr<storage::Database> &db, QWidget *parent)
{
    if (page == u"users") {
        UsersDialog dialog(db, parent);
        dialog.exec();
        return true;
    }
    if (page == u"database-connection") {
        DatabaseConnectionDialog dialog(parent);
        if (dialog.exec() == QDialog::Accepted)
            QMessageBox::information(parent, tr("Warehouse database"),
                                     tr("Saved. SellerDesk uses this database from the next start."));
        return true;
    }
    if (page == u"login") { // switch user: the new session replaces the current one only when accepted
        LoginDialog dialog(db, parent);
        if (dialog.exec() == QDialog::Accepted)
            access::Session::setCurrent(dialog.session());
        return true;
    }
    return false;
}

} // namespace AccessPages

} // namespace sd::ui
