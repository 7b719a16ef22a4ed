#include "devices/printing/printsender.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QImage>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfDocument>
#include <QPdfWriter>
#include <QProcess>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTcpSocket>
#include <QTemporaryFile>

namespace sd::devices::printing {

namespace {

// Runs a CUPS client command; its output, or an Io error naming what it said.
Result<QByteArray> runCups(const QString &program, const QStringList &arguments, int timeoutMs)
{
    QProcess process;
    process.start(program, arguments);
    if (!process.waitForStarted(timeoutMs))
        return makeError(
            Error::Code::Io,
            QCoreApplication::translate("sd::printing", "The CUPS command %1 is not installed.").arg(program),
            process.errorString());
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(1000);
        return makeError(Error::Code::Io, QCoreApplication::translate("sd::printing", "CUPS did not answer in time."),
                         program);
    }
    const QByteArray out = process.readAllStandardOutput();
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        const QString said = QString::fromLocal8Bit(process.readAllStandardError()).trimmed();
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::printing", "CUPS refused the job: %1").arg(said),
                         program + u' ' + arguments.join(u' '));
    }
    return out;
}

} // namespace

Result<SendReceipt> PrintSender::send(const PrinterAddress &printer, const labels::LabelDocument &document,
                                      const QString &title) const
{
    using Format = labels::LabelDocument::Format;
    switch (printer.kind) {
    case PrinterAddress::Kind::Tcp:
        if (document.format != Format::Zpl)
            return makeError(Error::Code::Invalid,
                             QCoreApplication::translate(
                                 "sd::printing",
                                 "A PDF cannot be sent to a printer's raw port; choose a CUPS queue for PDF labels."));
        return sendTcp(printer, document.data);
    case PrinterAddress::Kind::Cups:
        return sendCups(printer, document, title);
    case PrinterAddress::Kind::PdfFile: {
        if (document.format != Format::Pdf)
            return makeError(
                Error::Code::Invalid,
                QCoreApplication::translate(
                    "sd::printing", "A ZPL label cannot be written as a PDF file; send it to a label printer."));
        QSaveFile file(printer.path);
        if (!file.open(QIODevice::WriteOnly) || file.write(document.data) != document.data.size() || !file.commit())
            return makeError(
                Error::Code::Io,
                QCoreApplication::translate("sd::printing", "The PDF file %1 cannot be written.").arg(printer.path),
                file.errorString());
        return SendReceipt{QString(), true};
    }
    }
    return makeError(Error::Code::Internal, QCoreApplication::translate("sd::printing", "Unknown printer."));
}

Result<SendReceipt> PrintSender::sendTcp(const PrinterAddress &printer, const QByteArray &bytes) const
{
    QTcpSocket socket;
    socket.connectToHost(printer.host, printer.port);
    const QString where = printer.toString();
    if (!socket.waitForConnected(m_timeoutMs))
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::printing", "The printer at %1 does not answer.").arg(where),
                         socket.errorString());
    qint64 written = 0;
    while (written < bytes.size()) {
        const qint64 n = socket.write(bytes.constData() + written, bytes.size() - written);
        if (n < 0)
            return makeError(
                Error::Code::Io,
                QCoreApplication::translate("sd::printing", "The printer at %1 stopped taking the label.").arg(where),
                socket.errorString());
        written += n;
    }
    while (socket.bytesToWrite() > 0) {
        if (!socket.waitForBytesWritten(m_timeoutMs))
            return makeError(
                Error::Code::Io,
                QCoreApplication::translate("sd::printing", "The printer at %1 stopped taking the label.").arg(where),
                socket.errorString());
    }
    socket.disconnectFromHost();
    if (socket.state() != QAbstractSocket::UnconnectedState)
        socket.waitForDisconnected(m_timeoutMs);
    return SendReceipt{QString(), true};
}

Result<SendReceipt> PrintSender::sendCups(const PrinterAddress &printer, const labels::LabelDocument &document,
                                          const QString &title) const
{
    QTemporaryFile file;
    if (!file.open() || file.write(document.data) != document.data.size() || !file.flush())
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::printing", "The print file cannot be written."),
                         file.errorString());
    QStringList arguments{u"-d"_qs, printer.queue, u"-t"_qs, title.isEmpty() ? u"SellerDesk"_qs : title};
    if (document.format == labels::LabelDocument::Format::Zpl)
        arguments << u"-o"_qs << u"raw"_qs; // the printer speaks ZPL itself
    arguments << file.fileName();
    auto out = runCups(u"lp"_qs, arguments, m_timeoutMs);
    if (!out)
        return out.error();
    // "request id is QUEUE-12 (1 file(s))"
    static const QRegularExpression id(u"request id is (\\S+)"_qs);
    const auto match = id.match(QString::fromLocal8Bit(*out));
    return SendReceipt{match.hasMatch() ? match.captured(1) : QString(), false};
}

Result<bool> PrintSender::cupsJobCompleted(const QString &queue, const QString &jobId) const
{
    if (jobId.isEmpty())
        return false;
    auto out = runCups(u"lpstat"_qs, {u"-W"_qs, u"completed"_qs, u"-o"_qs, queue}, m_timeoutMs);
    if (!out)
        return out.error();
    for (const QByteArray &line : out->split('\n'))
        if (line.startsWith(QByteArray(jobId.toLocal8Bit() + ' ')))
            return true;
    return false;
}

Result<QByteArray> PrintSender::renderForLabel(const QByteArray &pdf, const QSizeF &pageMm, int dpi)
{
    QTemporaryFile source;
    if (!source.open() || source.write(pdf) != pdf.size() || !source.flush())
        return makeError(Error::Code::Io,
                         QCoreApplication::translate("sd::printing", "The print file cannot be written."),
                         source.errorString());
    QPdfDocument document;
    if (const auto error = document.load(source.fileName()); error != QPdfDocument::Error::None)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::printing", "The label is not a PDF that can be printed."),
                         u"QPdfDocument error "_qs + QString::number(int(error)));
    if (document.pageCount() < 1)
        return makeError(Error::Code::Invalid,
                         QCoreApplication::translate("sd::printing", "The label PDF has no pages."));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setCreator(u"SellerDesk"_qs);
        writer.setResolution(dpi);
        writer.setPageLayout(QPageLayout(QPageSize(pageMm, QPageSize::Millimeter), QPageLayout::Portrait, {}));
        QPainter painter(&writer);
        if (!painter.isActive())
            return makeError(Error::Code::Io, QCoreApplication::translate(
                                                  "sd::printing", "The label could not be prepared for printing."));
        const QSize target(qRound(pageMm.width() / 25.4 * dpi), qRound(pageMm.height() / 25.4 * dpi));
        for (int page = 0; page < document.pageCount(); ++page) {
            if (page > 0)
                writer.newPage();
            // Fit the courier's page into the label, keeping its proportions.
            const QSizeF pts = document.pagePointSize(page);
            QSize size = pts.toSize().scaled(target, Qt::KeepAspectRatio);
            QImage image = document.render(page, size);
            if (image.isNull())
                return makeError(Error::Code::Invalid,
                                 QCoreApplication::translate("sd::printing", "The label PDF could not be rendered."));
            QImage flat(image.size(), QImage::Format_RGB32);
            flat.fill(Qt::white);
            {
                QPainter p(&flat);
                p.drawImage(0, 0, image);
            }
            const QImage mono = flat.convertToFormat(QImage::Format_Mono, Qt::ThresholdDither | Qt::MonoOnly);
            const QPoint offset((target.width() - size.width()) / 2, (target.height() - size.height()) / 2);
            painter.drawImage(QRect(offset, size), mono);
        }
    }
    return bytes;
}

} // namespace sd::devices::printing
