#include "devices/fiscal/posneterrors.h"

#include <QCoreApplication>

namespace sd::devices::fiscal {

namespace {

struct Known
{
    int code;
    const char *text;
};

// From the error chapter of the Posnet protocol manual (POT-I-DEV-37): the errors a shop meets in daily work.
constexpr Known kKnown[] = {
    {1, QT_TRANSLATE_NOOP("sd::devices::fiscal",
                          "The printer does not know this command (a different protocol or firmware).")},
    {2, QT_TRANSLATE_NOOP("sd::devices::fiscal", "A required field was missing in the command sent to the printer.")},
    {3,
     QT_TRANSLATE_NOOP("sd::devices::fiscal", "The printer could not read a value in the command (format or range).")},
    {4, QT_TRANSLATE_NOOP("sd::devices::fiscal", "The printer refused the command's token.")},
    {5, QT_TRANSLATE_NOOP("sd::devices::fiscal",
                          "The printer received a damaged frame (wrong checksum). Check the cable or the network.")},
    {6, QT_TRANSLATE_NOOP("sd::devices::fiscal", "The printer received a malformed frame.")},
    {10, QT_TRANSLATE_NOOP("sd::devices::fiscal", "A text or number sent to the printer is too long.")},
    {11, QT_TRANSLATE_NOOP("sd::devices::fiscal", "The printer's input buffer is full. Try again in a moment.")},
    {14, QT_TRANSLATE_NOOP("sd::devices::fiscal", "The printer's command queue is full. Try again in a moment.")},
    {15, QT_TRANSLATE_NOOP("sd::devices::fiscal", "The printer received a frame without a checksum.")},
    {30, QT_TRANSLATE_NOOP("sd::devices::fiscal", "The operation was cancelled at the printer.")},
    {40, QT_TRANSLATE_NOOP("sd::devices::fiscal", "This command is not allowed on this printer interface.")},
    {41,
     QT_TRANSLATE_NOOP("sd::devices::fiscal",
                       "Another interface (the keypad or a second computer) is using the printer. Try again later.")},
    {50,
     QT_TRANSLATE_NOOP("sd::devices::fiscal", "The printer could not carry out the operation. Look at its display.")},
    {382, QT_TRANSLATE_NOOP("sd::devices::fiscal",
                            "Nothing was sold since the last daily report, so the printer refuses a zero report.")},
    {383, QT_TRANSLATE_NOOP("sd::devices::fiscal",
                            "The daily report for a previous day is missing. Print the daily report first.")},
    {387,
     QT_TRANSLATE_NOOP("sd::devices::fiscal", "Sales are blocked: the printer's memory is full. Call the service.")},
    {484,
     QT_TRANSLATE_NOOP("sd::devices::fiscal",
                       "The printer's working time has run out and sales are blocked. Enter the authorisation code.")},
    {488, QT_TRANSLATE_NOOP("sd::devices::fiscal", "The printer's subscription has expired and sales are blocked.")},
    {910, QT_TRANSLATE_NOOP("sd::devices::fiscal", "The product name is not unique in the printer's database.")},
    {1950, QT_TRANSLATE_NOOP("sd::devices::fiscal", "The receipt's totals are out of range.")},
    {1992, QT_TRANSLATE_NOOP("sd::devices::fiscal", "The receipt has no lines.")},
    {2000, QT_TRANSLATE_NOOP("sd::devices::fiscal",
                             "The printer has no active VAT rate in the slot sent: the VAT rate table does not match. "
                             "Read the rate table again or ask the service to program it.")},
    {2004, QT_TRANSLATE_NOOP("sd::devices::fiscal",
                             "The printer has no active VAT rates. Ask the service to program the rate table.")},
    {2005, QT_TRANSLATE_NOOP("sd::devices::fiscal", "No receipt is open at the printer.")},
    {2006, QT_TRANSLATE_NOOP("sd::devices::fiscal", "A price sent to the printer is zero or negative.")},
    {2007, QT_TRANSLATE_NOOP("sd::devices::fiscal", "A quantity sent to the printer is zero or negative.")},
    {2010, QT_TRANSLATE_NOOP("sd::devices::fiscal", "The printer's daily totals are full. Print the daily report.")},
    {2031, QT_TRANSLATE_NOOP("sd::devices::fiscal", "The buyer's NIP is not valid for the printer.")},
    {2036,
     QT_TRANSLATE_NOOP("sd::devices::fiscal", "The printer is in read-only mode and cannot sell. Call the service.")},
    {2038, QT_TRANSLATE_NOOP("sd::devices::fiscal", "A receipt is already open at the printer.")},
    {2041, QT_TRANSLATE_NOOP("sd::devices::fiscal", "A receipt cannot be closed with a total of zero.")},
    {2054, QT_TRANSLATE_NOOP("sd::devices::fiscal", "The payments do not cover the receipt's total.")},
    {2060,
     QT_TRANSLATE_NOOP("sd::devices::fiscal", "The printer is not in the right state for this step of the receipt.")},
    {2096, QT_TRANSLATE_NOOP("sd::devices::fiscal", "The buyer's NIP must be exactly ten digits.")},
    {2106,
     QT_TRANSLATE_NOOP("sd::devices::fiscal", "The printer has locked this product name at a lower VAT rate. Rename "
                                              "the product (a name may not be sold at a higher rate later).")},
    {2802,
     QT_TRANSLATE_NOOP("sd::devices::fiscal", "The printer computed a different line value (price times quantity).")},
    {2805, QT_TRANSLATE_NOOP("sd::devices::fiscal", "The printer computed a different receipt total than SellerDesk.")},
    {2808, QT_TRANSLATE_NOOP("sd::devices::fiscal", "The printer computed a different payment total than SellerDesk.")},
};

} // namespace

QString posnetErrorMessage(int code)
{
    for (const Known &known : kKnown)
        if (known.code == code)
            return QCoreApplication::translate("sd::devices::fiscal", known.text);
    return QCoreApplication::translate("sd::devices::fiscal", "The fiscal printer refused the command (error %1).")
        .arg(code);
}

QString posnetMechanismMessage(int mechanism)
{
    switch (mechanism) {
    case 0:
        return {};
    case 1:
    case 3:
    case 10:
        return QCoreApplication::translate("sd::devices::fiscal", "The printer's cover is open. Close it.");
    case 2:
        return QCoreApplication::translate("sd::devices::fiscal", "The printer cannot reach its print mechanism.");
    case 5:
        return QCoreApplication::translate("sd::devices::fiscal", "The printer is out of paper. Put in a new roll.");
    case 6:
    case 7:
    case 9:
        return QCoreApplication::translate("sd::devices::fiscal",
                                           "The printer has a power or temperature problem. Check its power supply.");
    case 8:
        return QCoreApplication::translate("sd::devices::fiscal", "The printer's paper cutter is jammed.");
    default:
        return QCoreApplication::translate("sd::devices::fiscal", "The print mechanism reports a fault (%1).")
            .arg(mechanism);
    }
}

QString posnetDeviceMessage(int device)
{
    switch (device) {
    case 0:
        return {};
    case 1:
        return QCoreApplication::translate("sd::devices::fiscal",
                                           "The printer's menu is open on its keypad. Leave the menu.");
    case 2:
        return QCoreApplication::translate("sd::devices::fiscal", "The printer waits for a key on its keypad.");
    default:
        return QCoreApplication::translate(
            "sd::devices::fiscal", "The printer shows an error and waits for the operator. Look at its display.");
    }
}

} // namespace sd::devices::fiscal
