<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AccountStore</name>
    <message>
        <source>An account needs a name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The account's API address is not a valid URL.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>An account called %1 exists already.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The account was not saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The download interval must be from 1 minute to 24 hours.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This is a training profile: it can only connect to the training marketplace on this computer, not to %1. Create a new profile for real work.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The training marketplace runs on this computer: its address must be 127.0.0.1 or localhost, not %1.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>AllegroClient</name>
    <message>
        <source>The download was stopped.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro sent an answer that cannot be read.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro did not return the invoice's id.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The offer could not be changed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro is still processing an earlier change of offer %1; try again later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro accepted the offer change but did not say where to follow it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro is taking too long to apply the change of offer %1.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>AllegroSync</name>
    <message>
        <source>The account %1 is not connected to Allegro. Connect it first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No secret store is open, so the account's tokens cannot be read.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro: downloading orders (%1)…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro (%1): %2 new, %3 updated orders.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro (%1): download failed.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>CodeClassifier</name>
    <message>
        <source>A command barcode cannot be empty.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no rule %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The code %1 is already a %2; a command barcode must not open anything else.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>CustomerReturns</name>
    <message>
        <source>The secret store with the marketplace tokens is not open; no return was downloaded.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A customer return without an id was left out.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The customer return %1 is for order %2, which has not been downloaded yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The customer return %1 names offer %2, which order %3 does not have.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro customer return %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The customer return %1 was left out: %2</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>FileSecretStore</name>
    <message>
        <source>The secret file %1 cannot be read.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The file %1 is not a SellerDesk secret file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The passphrase does not open the secret file %1 (wrong passphrase, or the file was changed).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The secret file %1 cannot be written.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>InventorySettings</name>
    <message>
        <source>The setting %1 takes on or off.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The setting %1 takes a whole number from %2 to %3.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no stock setting %1; the settings are: %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock sync is paused: automatic order download and automatic invoicing are both off.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock sync is paused: automatic order download is off.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock sync is paused: automatic invoicing is off.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>InventoryStore</name>
    <message>
        <source>A product needs a SKU.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A product needs a name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The EAN %1 is not valid: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The VAT rate is not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The purchase price cannot be negative.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Weight and dimensions cannot be negative.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A product with the SKU %1 exists already.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The product could not be saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no product with the SKU %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no product with the id %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A warehouse needs a code.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A warehouse with the code %1 exists already.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The warehouse could not be saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no warehouse with the code %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no warehouse yet; add one first (sellerdesk-cli warehouses add CODE NAME).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No document number could be taken.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A stock document needs at least one line.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A quantity must be a whole number above zero.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A transfer needs two different warehouses.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The counted quantities equal the stock; there is nothing to correct.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not enough stock of %1 in the warehouse %2: %3 in stock, %4 to take out. Nothing was written.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The stock document could not be saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A transfer needs the warehouse to move the stock to.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no stock document with the id %1.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>InvoiceStockGate</name>
    <message>
        <source>the stock could not be checked: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no stock of %1; tagged to be invoiced by hand after restocking</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>KsefClient</name>
    <message>
        <source>KSeF cannot be reached at %1 right now; the invoice waits in the queue.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF refused the request: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF did not offer a valid public key certificate.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF did not finish the authentication in time.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF did not accept the KSeF token (%1 %2). Check the token and the NIP in the KSeF settings.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>KsefQueue</name>
    <message>
        <source>A document sent to KSeF needs a reference.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The invoice XML for %1 is empty.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The seller's NIP for KSeF is not set (sellerdesk-cli ksef settings --nip NIP).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No KSeF token is stored (sellerdesk-cli ksef settings --token-stdin).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The KSeF send record is missing.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Another SellerDesk is sending this document to KSeF right now.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>LossGuard</name>
    <message>
        <source>The profit would be %1 (the minimum is %2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 was not moved to "%2": %3 An administrator must release it first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>loss guard</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 was kept from "%2" by the loss guard: %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SellerDesk: order %1 held by the loss guard</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Release it in SellerDesk (order view, or: sellerdesk-cli profit release %1 --reason ...) once the order is checked.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Say why the order may be completed (a reason is required).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A release must say who makes it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 is not held by the loss guard.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>OAuthClient</name>
    <message>
        <source>the device authorisation request</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro's answer to the device authorisation request is incomplete.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro's token answer is incomplete.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The connection was refused in the browser.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The code expired or was already used. Start connecting the account again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the device authorisation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The code expired before the connection was approved. Start connecting again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connecting the account was cancelled.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro no longer accepts this account's session. Connect the account again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>renewing the session</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>OfferCatalog</name>
    <message>
        <source>The offer was archived on the marketplace; its stock sync was switched off.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no offer %1; refresh the offers of the account first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The offer %1 belongs to the account %2, not to the account you work in; nothing was changed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock sync can be switched on only while automatic order download and automatic invoicing are on.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock sync cannot be switched on for an auction.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock sync cannot be switched on for an archived offer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The offer is not linked to a product; link it first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock sync is on already.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock sync is on; automatic end and resume are off for the offers of %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock sync is off already.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock sync is off.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>PackingSession</name>
    <message>
        <source>Order %1 has no items to pack.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The scan was empty.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 is packed already.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Packing of order %1 is not open.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Scan the serial number of %1, not a product code.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The serial number %1 was scanned already.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: serial number %2 (%3 of %4).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Wrong item: %1 is not in this order.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Too many: all %n unit(s) of %1 are packed already.</source>
        <translation>
            <numerusform>Too many: all %n unit of %1 are packed already.</numerusform>
            <numerusform>Too many: all %n units of %1 are packed already.</numerusform>
        </translation>
    </message>
    <message>
        <source>Now scan the serial number of %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: %2 of %3.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 is packed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose the status for an order with missing items.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>PickList</name>
    <message>
        <source>Location</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SKU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Units</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Orders</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The pick list could not be drawn.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Profit</name>
    <message>
        <source>The order's total %1 is not its items, delivery and adjustments (%2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The VAT of the order cannot be computed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No purchase price for "%1" (counted as 0).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The purchase price of "%1" is in %2, the order in %3.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Costs set in PLN (commission table, courier, payment fee, packaging) are left out of an order in %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A billing entry (%1) is in %2, the order in %3.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ProfitSection</name>
    <message>
        <source>Profit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Revenue (gross)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>VAT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Revenue (net)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Purchase cost</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace fees (billing)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace fees (commission table)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Courier</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment fees</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Packaging</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Held by the loss guard: it may not move to "%1" until an administrator releases it. %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Release…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Loss guard released by %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Release order %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Why may this order be completed anyway? (recorded in its history)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>documents</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>Reservations</name>
    <message>
        <source>Order %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Invoice by hand</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No stock of %1: the invoice is issued by hand after restocking.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ReturnService</name>
    <message>
        <source>Name at least one item to return (SKU and quantity).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The quantity of %1 must be at least 1, not %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 has no item %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Only %1 of %2 can be returned: %3 were bought and %4 are in other returns.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Only %1 of %2 were bought; %3 cannot be returned.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Say why the items come back (a reason is required).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The return term of order %1 (%2 days) ended on %3. A late return needs the reason it is accepted anyway.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot read the attachment %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The attachment %1 is larger than %2 MB.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return %1 is %2 already.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return %1 is %2: it is closed and cannot become %3.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return %1 is %2: it can become %3, not %4.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A refund and a correction invoice belong to the step "%1".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A warehouse is chosen when the items are received.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return %1 was changed meanwhile (it is %2 now).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return %1 of order %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 does not come from Allegro: refund the buyer yourself and mark the return refunded without the marketplace refund.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The marketplace account of order %1 is not known.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The secret store with the marketplace tokens is not open; nothing was refunded.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>None of the returned items is an Allegro line item.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 has no invoice to correct.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The invoice %1 has no line for %2.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ReturnSettings</name>
    <message>
        <source>The return term is a number of days from 1 to 3650, not "%1".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The return term is counted from "purchase" or "shipment", not "%1".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>informBuyer is on or off, not "%1".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no return setting "%1" (termDays, termFrom, warehouse, informBuyer).</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ReturnStockExecutor</name>
    <message>
        <source>No item of the order is a product in stock; nothing was returned.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return of order %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The items were returned already (%1).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Items returned to the warehouse %1 (%2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order's items had not left the warehouse: their reservation was released.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ReturnStore</name>
    <message>
        <source>There is no return %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no attachment %1.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SalesReport</name>
    <message>
        <source>The report needs a start date on or before its end date.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>SellerActions</name>
    <message>
        <source>This action is being done by another workstation right now.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This order does not come from the Allegro account %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No offer command was sent for this action.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order has no Allegro payment to refund.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The command id %1 was already used for another change of offers; this change was not sent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The stock must be 0 or more.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The offer's signature (external id) is longer than 100 characters.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ServiceStore</name>
    <message numerus="yes">
        <source>Order %1 has %n lines: say which one is in service.</source>
        <translation>
            <numerusform>Order %1 has %n lines: say which one is in service.</numerusform><numerusform>Order %1 has %n lines: say which one is in service.</numerusform></translation>
    </message>
    <message>
        <source>Order %1 has no line %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A service case needs the product's name (or an order line).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A service case without an order needs the buyer's name or contact.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not an e-mail address.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The buyer's language must be one of: %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The service case could not be saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no service case %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no service state "%1" (known: %2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Service case %1 is closed (%2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Service case %1 cannot go from "%2" to "%3"; next: %4.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Service case %1 was changed meanwhile; try again.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>ShippingFormula</name>
    <message>
        <source>The weight and the value may not be negative and the quantity must be at least 1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Collected in person: no shipping charge.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Base: %1</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Weight: %n started kg × %1 = %2</source>
        <translation>
            <numerusform>Weight: %n started kg × %1 = %2</numerusform>
            <numerusform>Weight: %n started kg × %1 = %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Quantity: %n more item(s) × %1 = %2</source>
        <translation>
            <numerusform>Quantity: %n more item × %1 = %2</numerusform>
            <numerusform>Quantity: %n more items × %1 = %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Zone %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Free shipping from %1 (the goods are worth %2): %3 waived.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cash on delivery: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Total: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The shipping formula holds a negative amount.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A zone is a two-letter country code or * for the rest of the world, not "%1".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no shipping setting "%1".</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>StockSync</name>
    <message numerus="yes">
        <source>Stock sync waits for the operator: the held list of %n offer(s) must be released or dismissed.</source>
        <translation>
            <numerusform>Stock sync waits for the operator: the held list of %n offer must be released or dismissed.</numerusform>
            <numerusform>Stock sync waits for the operator: the held list of %n offers must be released or dismissed.</numerusform>
        </translation>
    </message>
    <message>
        <source>Every synced offer shows the stock already.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This sync would end %1 offer(s) within %2 s (the limit is %3).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This sync would cut the synced offers' quantity by %1% (the limit is %2%).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Nothing was sent; check the list and release or dismiss it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The stock sync could not be recorded.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n offer(s) brought in line with the stock.</source>
        <translation>
            <numerusform>%n offer brought in line with the stock.</numerusform>
            <numerusform>%n offers brought in line with the stock.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n offer(s) failed and will be tried again.</source>
        <translation>
            <numerusform>%n offer failed and will be tried again.</numerusform>
            <numerusform>%n offers failed and will be tried again.</numerusform>
        </translation>
    </message>
    <message>
        <source>No stock sync is waiting for the operator.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Released by %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Dismissed by %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock sync is off for the offer %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The offer %1 is not linked to a product.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The marketplace's quantity of the offer %1 is not known.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The stock of %1 cannot be corrected in the warehouse %2 alone; correct it by hand.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>StockSyncJob</name>
    <message>
        <source>No marketplace account is connected: no offer to sync.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The secret store with the marketplace tokens is not open yet; the stock sync waits for it.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>TokenKeeper</name>
    <message>
        <source>The marketplace account no longer exists.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The account is not connected. Connect it to Allegro first.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>SellerDesk: orders, documents and shipping for online sellers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Use the profile in &lt;dir&gt;.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Use the shared PostgreSQL database at &lt;url&gt;.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Interface language: pl or en.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SellerDesk</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Run the automation and the marketplace download without a window (a server); stop with SIGTERM.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>With --headless: write the log to &lt;file&gt;.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open a page at start: statuses, new-order, shortcuts, order (the newest order in its own window), order-items, order-automation, order-receipt-label, rules, rule-editor, rule-test, rule-versions, rule-templates, execution-log, printers, print-queue, documents, document-settings, ksef-settings, exchange-rates, products, warehouses, stock-documents, offers, stock-sync, packing (the packing station), scanner-settings, pick-list, profit-settings, reports, returns, register-return (a return of the newest order), service (the service cases), messaging-settings, templates, messages, first-run (first-run:company, :shop, :printers or :rules at that page), login, users, database-connection or help.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::access</name>
    <message>
        <source>The database %1 cannot be opened.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The backup to %1 cannot start.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The backup to %1 failed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no database at %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The backup cannot overwrite the database itself.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The backup file %1 cannot be written.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no backup file %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The backup %1 is damaged; it was not restored.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is not a SellerDesk backup; nothing was restored.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The folder of %1 cannot be created.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Edit automation rules</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refund payments</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Issue corrections</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Issue documents</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>See profit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Manage users and roles</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Manage settings and accounts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Change order status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pack orders</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Packer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Office</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Administrator</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Database %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not reachable</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>schema %1, expected %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>schema %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Database integrity</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the check could not run</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>damaged: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Keychain</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a value written could not be read back</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>system keychain</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>encrypted file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Printer: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not set up</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not reachable: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>CUPS does not know the queue %1 or is not running</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the folder %1 cannot be written</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace accounts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace account %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not connected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the keychain is not usable, so its tokens cannot be read</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no token stored; connect the account again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the token expired and cannot be refreshed; connect the account again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>token expired, will be refreshed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>token valid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not allowed: %1 may not %2 (role %3).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no user %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A password needs at least 6 characters.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A user name must be 1 to 64 characters without "@".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The first user must be an administrator, or nobody could manage users afterwards.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The password could not be hashed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is already a user %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no role %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A role name must be 1 to 64 characters.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is already a role %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The user %1 is switched off.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::allegro</name>
    <message>
        <source>No secret store is open for the tokens.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connecting was not started.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro refused %1: the data was not accepted.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro refused %1: the account is not authorised. Connect the account again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro does not know %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro refused %1: it conflicts with a change made meanwhile or done before.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro is limiting requests; %1 will be tried again later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro did not answer %1 (no connection or timeout).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro failed to handle %1 (HTTP %2).</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::automation::Catalog</name>
    <message>
        <source>Sales channel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Shipment status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment method</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Wants an invoice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NIP given</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delivery country</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Currency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer's comment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer's login</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer's e-mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Number of line items</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Number of pieces</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order total</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delivery method</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Days since the order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hours since payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Line: SKU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Line: EAN</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Line: offer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Line: product name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Line: quantity</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Line: unit price</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>is</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>is not</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>is one of</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>is none of</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>contains</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>does not contain</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>starts with</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>matches the pattern</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>is empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>is not empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>is less than</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>is at most</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>is more than</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>is at least</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>is between</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>has</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>does not have</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>has any of</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>has all of</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>From status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>To status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order downloaded</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Status changed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment status changed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New payment status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancelled by the buyer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delivery form changed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Run by hand (button or scanned barcode)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Time after an event</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Counted from</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>In a status for a time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Document issued</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Document failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF accepted the invoice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF rejected the invoice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Label generated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Shipment status changed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New shipment status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer message received</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order packed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock changed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Tag</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Set status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Inform the customer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add tag</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove tag</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Call a URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Address (with placeholders)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Timeout (seconds)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Run another rule</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Notify the operator</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Issue an invoice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Numbering series</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Print a fiscal receipt</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Issue a correction</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Send an e-mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Template</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Send an SMS</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Generate a shipping label</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Print the shipping label</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Mark shipped and upload tracking</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refund the payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>File a commission refund claim</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return stock to the warehouse</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reply to the buyer's message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>text</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>choice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>amount</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>yes/no</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>tags</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A rule's action failed for good</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Which messages</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Days since the last status change</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hours since the last status change</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Days since shipment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Hours since shipment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Courier</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Label format</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Generate a label, mark shipped and upload tracking</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Warehouse code (empty: the default)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Time after</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Time in the status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Line: stock of the product</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Invoice issued offline (KSeF unreachable)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message type</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace account (empty: any)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Generate the transport slip and warranty card</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Print the invoice on the document printer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return registered</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return state changed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New return state</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Service case changed (warranty repair)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New service state</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::automation::Dispatcher</name>
    <message>
        <source>Rule %1 (%2) does not run by hand: its trigger is not "Run by hand".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rule %1 (%2) is disabled; enable it to run it.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::automation::Engine</name>
    <message>
        <source>Stopped: this change was caused by a chain of %1 rule actions (the limit is %2); a rule may be triggering itself.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not fired: the rule has acted on this order %1 times, its limit.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Timer set for %1 (UTC); the conditions are checked then.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not fired: the order left the status "%1" before the time was up.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 of %2 lines match</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not fired: the order's account or courier is outside the rule's scope.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fired: every condition holds.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not fired: these conditions do not hold: %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>status stays "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>status "%1" -&gt; "%2"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the customer is informed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>tag "%1" is there already</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>tag "%1" is added</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>tag "%1" is removed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>tag "%1" is not there</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>runs rule %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>operator is told: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not configured: %1 arrives with a later version</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>marked as sent on the marketplace with %n tracking number(s)</source>
        <translation>
            <numerusform>marked as sent on the marketplace with %n tracking number</numerusform>
            <numerusform>marked as sent on the marketplace with %n tracking numbers</numerusform>
        </translation>
    </message>
    <message>
        <source>the payment of %1 is refunded</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>the commission is claimed back for %n line item(s)</source>
        <translation>
            <numerusform>the commission is claimed back for %n line item</numerusform>
            <numerusform>the commission is claimed back for %n line items</numerusform>
        </translation>
    </message>
    <message>
        <source>an invoice is issued</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>an invoice is issued (series %1)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::automation::Executors</name>
    <message>
        <source>The order had the status "%1" already.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Status set to "%1".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Tag "%1" added.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Tag "%1" removed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The address answered %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The address could not be called: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stopped: a chain of %1 rules; rule %2 is not run.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rule %1 did not fire: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rule %1 fired.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Operator alert: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not configured: "%1" arrives with a later version; nothing was done.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A URL call is made only by the scheduler, without waiting.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::automation::MarketplaceExecutor</name>
    <message>
        <source>The marketplace refused it: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order does not come from an Allegro account; nothing was sent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order's marketplace account is not known; nothing was sent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The secret store with the marketplace tokens is not open; nothing was sent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order's marketplace account is gone: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The account %1 is not connected to Allegro; nothing was sent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marked as sent on Allegro (no new tracking number).</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Marked as sent on Allegro with %n tracking number(s).</source>
        <translation>
            <numerusform>Marked as sent on Allegro with %n tracking number.</numerusform>
            <numerusform>Marked as sent on Allegro with %n tracking numbers.</numerusform>
        </translation>
    </message>
    <message>
        <source>The order has no paid Allegro payment to refund; nothing was sent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The refund was made before; nothing was sent again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refund of %1 requested on Allegro.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The commission was claimed before; nothing was sent again.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Commission refund claimed for %n line item(s).</source>
        <translation>
            <numerusform>Commission refund claimed for %n line item.</numerusform>
            <numerusform>Commission refund claimed for %n line items.</numerusform>
        </translation>
    </message>
    <message>
        <source>Unknown marketplace action.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The buyer's message was answered on Allegro.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No buyer message to answer (none, answered before, or outside the chosen hours).</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::automation::Rule</name>
    <message>
        <source>The rule "%1" is not valid: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown key %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a condition must be an object</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>must be a list of conditions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>must be "any", "all" or "none"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a line item group needs "where"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>must be a list</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a condition needs one of "all", "any", "not", "items" or "field"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>an action must be an object</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>must be a whole number of minutes, 0 or more</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 needs text</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 must be one of: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 needs a whole number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 needs an amount such as 100 or "99.99"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 takes no value</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>line item groups cannot be nested</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown field %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is a line item field; use it inside an "items" group</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is an order field; it cannot be tested inside an "items" group</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown operator %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the operator %1 does not apply to %2 (%3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the operator %1 takes no value</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the operator %1 needs one value</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the operator %1 needs a list of values</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the operator %1 needs two values (from, to)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the pattern is not valid: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown parameter %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is required</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 must be a whole number from %2 to %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 must be a whole number, at least %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 must be true or false</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 must start with http:// or https://</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 must be a non-empty text</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown action %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>must be %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a rule needs a trigger</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a rule needs a list of actions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>must be a whole number, 0 or more</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The rule is not valid JSON (at character %1: %2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A rule must be a JSON object.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a rule needs a name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown trigger %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a rule needs at least one action</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no rule %1.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::automation::RuleInsights</name>
    <message>
        <source>"%1" has not acted on any order in %2 days.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" and "%2" react to the same event and can both match one order, but set different statuses (%3 / %4).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" can set itself off again: %2. The engine stops such a chain after %3 steps.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Job %1 cannot run again: only a failed job can, and this one is not failed now.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::automation::Scheduler</name>
    <message>
        <source>Another SellerDesk (process %1 on %2) runs the automation for this database; this one does not run rules or jobs. Close the other one, or use a shared PostgreSQL database to run several.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The job names an action the rule does not have.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Skipped: already done.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Another workstation is running this action.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>An earlier attempt was interrupted; it may or may not have happened, so it is not repeated. Check and run it by hand if needed.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n old trace(s) deleted.</source>
        <translation>
            <numerusform>%n old trace deleted.</numerusform>
            <numerusform>%n old traces deleted.</numerusform>
        </translation>
    </message>
    <message>
        <source>The jobs did not finish in time.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::cli</name>
    <message>
        <source>The benchmark's SQLite step failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot create a temporary folder for the benchmark.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>generated %1 checkout forms in %2 s (not counted)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The benchmark imported %1 of %2 orders (%3 rejected).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>import:        %1 orders in %2 s = %3 orders/s (parse, map, compare, store with history and events)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>plain sqlite3: the same %1 rows in %2 s = %3 orders/s (bulk insert, no parsing)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ratio (plain time / import time): %1   target &gt;= 0.50: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>met</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not met</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rate target &gt;= 20000 orders/s: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(see sellerdesk-cli --help)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>error:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>import-orders needs at least one FILE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rejected %1 (%2): %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>new: %1, updated: %2, unchanged: %3, rejected: %4</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>COD</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>paid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>partly paid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>overpaid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>refunded</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unpaid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unexpected argument %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ID</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>DATE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>MARKETPLACE ID</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>BUYER</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TOTAL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>PAYMENT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>STATUS</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n order(s)</source>
        <translation>
            <numerusform>%n order</numerusform>
            <numerusform>%n orders</numerusform>
        </translation>
    </message>
    <message>
        <source>Order %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bought</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Updated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Login</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NIP</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delivery</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pick-up point</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paid at</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Invoice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Company</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Items</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer's comment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Referrers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>orders history needs exactly one order ID</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>orders show needs exactly one order ID</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>WHEN</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>WHO</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>FIELD</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>CHANGE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>orders set-status needs an order ID and a STATUS</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>status set by hand</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 already has the status %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1: status set to %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>orders needs a subcommand: list, show, history or set-status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown orders subcommand %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>statuses needs a subcommand: list or add</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NAME</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>GROUP</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>COLOUR</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>statuses add needs exactly one NAME (quote names with spaces)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown group %1; use new, in-progress, shipped, closed or cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Status %1 added (%2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown statuses subcommand %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Demo profile ready: %1 new orders, %2 already there.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the option %1 needs a value</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown option %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>use either --profile or --database, not both</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no command given</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown command %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>training profile</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the option --%1 needs a value</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--%1 must be a whole number from %2 to %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1: status set to %2; the buyer will be told.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>building a profile with %1 orders in %2 (once; later runs reuse it)…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>built in %1 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The benchmark profile has no statuses.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>tab switch: %1 ms (%2 rows)   target &lt; 50 ms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>status + payment filter: %1 ms (%2 rows)   target &lt; 50 ms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>search by buyer login "%1": %2 ms (%3 rows)   target &lt; 100 ms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>peak memory (RSS): %1 MB   target &lt; 250 MB</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The encrypted secret file needs a passphrase: set SD_SECRET_PASSPHRASE.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>allegro connect needs --url URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--url is not a valid address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--environment must be production, sandbox or training</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open %1 and enter the code %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>or open %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting for the approval…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connected the account %1 (%2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no account called %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No Allegro account is connected. Use: sellerdesk-cli allegro connect --url URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: new: %2, updated: %3, unchanged: %4, rejected: %5</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rejected %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>connected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not connected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>never synced</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>allegro needs a subcommand: connect, sync or accounts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>upgrading the cached profile from schema %1 to %2 (once; it fills the new columns and indexes of every order)…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>upgraded in %1 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>search inside buyer logins "%1": %2 ms (%3 rows)   target &lt; 100 ms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>training needs a subcommand: serve</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 has a bad value: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is not a rule number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ID  VERSION  ENABLED  TRIGGER  NAME</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>actual: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rules dry-run needs exactly one of --rule FILE, --id ID or --all</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--since needs a duration such as 30m, 12h or 7d</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 (%2), status %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>WOULD FIRE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>would not fire</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Dry run: %1 orders, %2 matches; nothing was changed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rules trace needs one order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No rule has looked at this order yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rule %1 v%2 "%3"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ID  KIND  ORDER  STATE  DUE  ATTEMPTS  NOTE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--rules must be 1 to 10,000 and --orders 1 to 2,000,000</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 rules x %2 orders in memory, one thread (one core)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>engine:       %1 rule evaluations/s (%2 s; %3 matches)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>hand-written: %1 rule evaluations/s (%2 s; %3 matches)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>engine / hand-written: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>dry run (matches with planned actions): %1 s, %2 matches</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>targets: &gt;= 10,000,000 evaluations/s/core, dry run &lt; 2 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the engine and the hand-written loop disagree (%1 vs %2 matches)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>jobs needs a subcommand: list</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rules import needs one file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rule %1 "%2" saved as version %3.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rules %1 needs one rule number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rule %1 is enabled (version %2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rule %1 is disabled (version %2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>VERSION  WHEN  WHO  ENABLED  NAME</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>JSON of every planned action, made on demand: %1 s, %2 MB</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>               processor time %1 s on the writing thread (%2 orders/s), %3 s in all (reading and mapping on a second thread)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>search index (filled by the first search, not counted): import %1 s, plain sqlite3 %2 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>first screen (open, tab counts, 200 rows): %1 ms, of which the queries %2 ms (%3 rows)   target &lt; 200 ms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rules run needs a rule number and --order ORDER</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>warning: marketplace actions cannot run here: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rule %1 is queued for order %2; %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rule %1 v%2 "%3" on order %4: %5</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>  rules list | show ID | export ID | import FILE | enable ID | disable ID | versions ID
  rules dry-run (--rule FILE | --id ID | --all) [--orders IDS | --since 30m|12h|7d] [--json]
  rules trace ORDER [--json]              why each rule did or did not act on the order
  rules run ID --order ORDER              run a manual rule (trigger "manual") on an order
  rules reference                         the rule reference (docs/rules.md) from the catalog
  jobs list [--json]                      the automation's job queue
  bench rules [--rules N] [--orders M]    measure rule evaluation and dry run
</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rules needs a subcommand: list, show, export, import, enable, disable, versions, dry-run, trace, run</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>mail account add needs --host, --port, --security and --from</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--port needs a number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--security must be none, ssl or starttls</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--timeout needs a number of seconds</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>with --user, give the password on standard input with --password-stdin</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Mail account %1 saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(default)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>mail test needs --to ADDRESS</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Test message sent to %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>send needs an order ID and --template NAME (see templates list)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No SMS gateway is configured: use sms account add.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message %1 not sent yet: %2 It stays queued and is tried again later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>sms account add needs --url URL and the token on standard input with --token-stdin</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SMS gateway %1 saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>templates needs list or show</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>templates show needs a template name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Language: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Subject: %1</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>SMS (%1 characters, %2, %n part(s)): </source>
        <translation>
            <numerusform>SMS (%1 characters, %2, %n part): </numerusform>
            <numerusform>SMS (%1 characters, %2, %n parts): </numerusform>
        </translation>
    </message>
    <message>
        <source>SMS: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>  mail account add --host H --port P --security none|ssl|starttls --from ADDR [--from-name NAME]
       [--user U --password-stdin] [--store ACCOUNT] [--ca-file PEM] [--timeout S]
                                           add a sender account (password to the secret store)
  mail account list                        list mail accounts
  mail test --to ADDR [--account ID]       send a test e-mail
  mail shop [--name N] [--email E] [--phone P] [--url U] [--sms-on-status|--no-sms-on-status]
                                           the shop's data in messages; SMS on status changes
  mail send ORDER --template T [--to ADDR] [--language pl|en]   e-mail the buyer now
  sms account add --url URL [--sender NAME] --token-stdin   set the SMS gateway (SMSAPI)
  sms send ORDER --template T [--to PHONE]  text the buyer now
  messages list [--order ORDER] [--limit N] [--json]   messages sent and queued
  confirm ORDER [--request | --by-hand | --by-reply]   order confirmation: ask (again), confirm, or show
  confirm --token T                        confirm the order whose link carries token T
  templates list                           message templates
  templates show T [--language pl|en] [--order ORDER]   a template, or its preview on an order
</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>mail needs account add, account list, shop, test or send</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>sms needs account add or send</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>messages needs list</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 confirmed by the buyer's link.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>confirm needs an order ID (or --token T)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Confirmation request queued as message %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>invoices: %1 issued, %2 left for manual invoicing, %3 failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 has no KSeF XML (a pro-forma is not sent to KSeF).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Issued:  %1 in %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer:   %1 %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order:   %1 (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Corrects: %1 (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>  rate %1: net %2, VAT %3, gross %4</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Total:   %1 %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF:    %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reason:  %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>company needs a subcommand: set or show</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The logo file %1 does not exist.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Company data saved: %1, NIP %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NAME  TYPE  PATTERN  RESET  DEFAULT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>series needs a subcommand: add or list</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>series add needs NAME and --pattern</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--type is one of vat, private, receipt-invoice, correction, proforma</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--reset is one of never, yearly, monthly</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Series %1 added: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not LINE=VALUE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--date is YYYY-MM-DD</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Automatic invoicing is off; turn it on with "documents settings --auto-invoice on".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 issued, %2 skipped, %3 left for manual invoicing, %4 failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>invoice %1 needs one ORDER or DOCUMENT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--type is one of vat, private, receipt-invoice, proforma</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 %2 issued for order %3: %4</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 cancelled.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>invoice needs a subcommand: issue, correct, cancel or auto</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not a quantity</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 issued, correcting %2 by %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the value is on or off</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not COUNTRY=RATE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>documents show needs one DOCUMENT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>documents needs a subcommand: list, show or settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--state is one of draft, issued, offline, queued, sent, accepted, rejected, cancelled, corrected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ID  NUMBER  TYPE  STATE  DATE  ORDER  BUYER  GROSS</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No fiscal printer: give --printer tcp://HOST:PORT or serial:/dev/ttyX, or set one for this workstation.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no. %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>fiscal receipt needs exactly one order ID</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1: fiscal receipt %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>fiscal report needs the report's kind: daily</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--date needs a date as YYYY-MM-DD</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The daily report for %1 was printed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>fiscal status takes no arguments</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Printer: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Status: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>VAT rates: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Receipts closed: %1, last receipt no. %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A receipt is open at the printer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>fiscal receipts takes only options</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>fiscal resolve needs an order ID and either --printed or --not-printed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--number needs the receipt number printed on it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--vat takes slots as A=23,B=8,C=5,D=0,G=zw; "%1" is not one</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>fiscal simulate takes only options</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--port needs a port number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>fiscal needs a subcommand: receipt, report, status, receipts, resolve or simulate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>queued (offline-issued; sent when KSeF is back)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>queued</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>sending</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>sent, waiting for KSeF</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>accepted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rejected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Document:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>State:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF number:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>UPO:</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>stored (%n byte(s))</source>
        <translation>
            <numerusform>stored (%n byte)</numerusform>
            <numerusform>stored (%n bytes)</numerusform>
        </translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Last error:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Next attempt:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unexpected word %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--nip must be the seller's 10-digit NIP</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The KSeF token cannot be read from standard input.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no KSeF token on standard input</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF environment:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>API address:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Seller's NIP:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not set</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF token:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>stored in the secret store</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not stored (use --token-stdin)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ksef needs a subcommand: send, status or settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Print job %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>label create needs one order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--courier must be allegro or inpost</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--format must be pdf or zpl</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--weight must be kilograms, e.g. 1.5</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--size must be LENGTHxWIDTHxHEIGHT in centimetres, e.g. 30x20x10</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>label</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order already has this label: %1 %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Label made: %1 %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(label barcode %1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>label print needs one order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no label printer is set: give --printer tcp://HOST:9100|cups:QUEUE|pdf:FILE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order has no label yet: make one with "label create ORDER --courier ...".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>label inpost-setup needs --organization ID (the token is read from standard input)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>give the ShipX API token on standard input</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>InPost ShipX is set up for organization %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sender: %1, %2, %3 %4, %5, %6, %7</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Training InPost ShipX on %1 (organization %2, token %3). Stop with Ctrl+C.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Workstation: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>print jobs takes no order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>reprint of %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>print reprint needs one job number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>print reprint needs --reason</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Printed %1, with CUPS %2, waiting %3, failed %4.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown print subcommand %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>  label create ORDER --courier allegro|inpost [--format pdf|zpl] [--weight KG] [--size LxWxH]
                                           make the courier's label (once per order and courier)
  label print ORDER [--printer tcp://HOST:9100|cups:QUEUE|pdf:FILE]   print the order's label
  label sender [--name N] [--street S] [--postal-code P] [--city C] [--email E] [--phone T]
  label inpost-setup --organization ID [--url URL]   InPost ShipX (token on standard input)
  label training-shipx [--port P]          run a training InPost ShipX on this computer
  print jobs [--json] [--limit N]          the print queue with each job's timeline (--json)
  print reprint JOB --reason R [--printer ADDRESS]
  print process                            send the jobs that wait for their printer
  print test-page [--printer ADDRESS] [--role label|document]
  print printers [--document A] [--label A] [--fiscal A] [--workstation NAME]
                                           this workstation's printers (printers/... in its settings)
</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown label subcommand %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 was made before.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 posted.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>products add needs SKU and NAME</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--weight takes grams as a whole number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--size takes LENGTHxWIDTHxHEIGHT in millimetres, e.g. 300x200x150</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Product %1 added.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>products show needs a SKU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SKU: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>EAN: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>VAT: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Purchase price: %1 %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Weight: %1 g, size: %2 x %3 x %4 mm</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock: %1, reserved: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>warehouses add needs CODE and optionally NAME</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Warehouse %1 added.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>default</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>warehouses needs a subcommand: add, list</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>end</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>failed:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>stock %1 needs SKU and a whole QUANTITY</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>stock show needs a SKU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Total: %1, reserved: %2, free: %3</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n order event(s) read.</source>
        <translation>
            <numerusform>%n order event read.</numerusform>
            <numerusform>%n order events read.</numerusform>
        </translation>
    </message>
    <message>
        <source>stock settings takes nothing, or KEY VALUE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>warning:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The held stock sync was dismissed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>waits for the operator (sellerdesk-cli stock sync release | dismiss):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>nothing is held</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>local %1, marketplace %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>stock sync %1 needs an OFFER</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>stock sync takes run, status, release, dismiss, conflicts, take-local OFFER or take-marketplace OFFER</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>stock needs a subcommand: receive, issue, transfer, count, show, documents, reservations, settings, sync</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--linked and --sync take yes or no</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>sync</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>offers link needs OFFER and SKU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Offer %1 is linked to %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>offers sync needs enable or disable and at least one OFFER</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>refused:</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%1: %n offer(s) read.</source>
        <translation>
            <numerusform>%1: %n offer read.</numerusform>
            <numerusform>%1: %n offers read.</numerusform>
        </translation>
    </message>
    <message>
        <source>offers %1 needs one OFFER</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Offer %1: ending was sent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Offer %1: resuming was sent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>offers needs a subcommand: list, refresh, link, sync, end, resume</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--offers takes a whole number above zero</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The training marketplace did not start.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Preparing %n offer(s) and product(s)...</source>
        <translation>
            <numerusform>Preparing %n offer and product...</numerusform>
            <numerusform>Preparing %n offers and products...</numerusform>
        </translation>
    </message>
    <message>
        <source>offers: %1, updated: %2, failed: %3, commands: %4</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>one stock change to its command sent: %1 ms (debounce %2 ms; target &lt; 1000 ms, ratio %3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 changed offers: first command after %2 ms, all in line after %3 ms (target &lt; 10000 ms, ratio %4)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot start %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 did not start</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is missing: the bench runs it headless</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The bench's files are kept in %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot listen on 127.0.0.1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot write %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the training marketplace did not list its orders</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>time: %1 s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>kills survived: %1 of %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>invoices: %1 (orders with two: %2; gaps in the numbers: %3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>receipts: %1 printed, %2 in the printer's journal, %3 interrupted and left to the operator</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>e-mails: %1 sent, %2 received (same Message-ID twice: %3), %4 interrupted and left to the operator</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>URL calls: %1 keys, %2 repeated with the same Idempotency-Key after a kill</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>documents refused with a reason (in the execution log): %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>jobs still waiting for a retry: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>lost = %1, duplicates = %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>switched off</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No users: this profile runs as the implicit administrator without a login.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>users %1 needs exactly one NAME</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>users add needs --role ROLE (see roles list)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>User %1 added with the role %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The password of %1 was changed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>users needs a subcommand: add, list or passwd</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>roles add needs exactly one NAME</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown permission %1; see roles list</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Role %1 added.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>roles needs a subcommand: list or add</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>backup needs create FILE or restore FILE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A PostgreSQL database is backed up with pg_dump (see docs/deployment.md).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Backup written to %1 (%2 pages, %3 bytes).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Backup %1 restored (%2 pages).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>FAIL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>OK</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This profile has users and this workstation (%1) has no automatic login: pass --user NAME (the password from SD_PASSWORD or stdin).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>selftest takes no arguments</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>  --user NAME                              (global) work as NAME; password from SD_PASSWORD or stdin
  users list                               the profile's users and roles
  users add NAME --role ROLE               add a user (password from SD_NEW_PASSWORD or stdin)
  users passwd NAME                        set a password (from SD_NEW_PASSWORD or stdin)
  roles list                               roles and their permissions
  roles add NAME --permissions KEY,...     a custom role
  backup create FILE                       a consistent copy of the SQLite profile, also while it runs
  backup restore FILE                      replace the profile with a backup (checked first)
  selftest                                 check database, keychain, printers, marketplace tokens
</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: median %2 ms, 95th percentile %3 ms, worst %4 ms (%5 scans)   target &lt; 300 ms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>copying the order list benchmark's profile to %1 (once)…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot copy %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The benchmark profile has no orders.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 was not found by its marketplace id.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 orders in the profile, %2 orders packed by scans</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>order scan (lookup + open the packing)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>item scan (line + session written)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>last item scan (+ order.packed event)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Usage: sellerdesk-cli [--profile DIR | --database postgresql://...] COMMAND [ARGS]

Global options:
  --profile DIR          use the SQLite profile in DIR (created when missing)
  --database URL         use a shared PostgreSQL database
  --user NAME            work as this user (password from SD_PASSWORD or stdin)
  --verbose              also print technical details of failures
  --version              print the version
  --help                 print this help

Commands:
  import-orders [--account NAME] FILE...   import Allegro checkout forms (JSON)
  orders list [--status S] [--search TEXT] [--limit N] [--json]
  orders show ID [--json]                  ID: SellerDesk number or marketplace id
  orders history ID [--json]
  orders set-status ID STATUS [--inform]  --inform: tell the buyer (queued)
  statuses list [--json]
  statuses add NAME [--group new|in-progress|shipped|closed|cancelled] [--color #RRGGBB]
  allegro connect --url URL [--name NAME] [--client-id ID]   connect an Allegro account (device flow)
  allegro sync [--account NAME]            download orders of connected accounts
  allegro accounts                         list Allegro accounts
  ksef settings [--environment test|production|URL] [--nip NIP] [--token-stdin]
                [--on|--off]               KSeF environment, seller's NIP, token (read from stdin);
                                           --on: every issued invoice goes to KSeF
  ksef send DOC [--wait S]                 send an issued invoice (number or id) to KSeF now
  ksef status DOC [--json]                 the document's KSeF state, number, UPO or reason
  rates list|add CUR DATE RATE|fetch CUR [--date D]
                                           NBP rates for foreign-currency invoices
  demo [--orders N] [--seed S]             fill the profile with realistic training orders
  bench import [--orders N]                measure the import speed
  bench list [--orders N]                  measure the order list on N orders (default 1,000,000)
  bench scan [--orders N] [--samples S]    measure the packing station's reaction per scan
  training serve [--port P] [--state FILE] [--orders N] [--rate PER_MIN] [--auto-approve] [--faults SPEC]
                                           run a training marketplace on this computer
%1%2
Exit codes: 0 success, 1 failure, 2 wrong usage.
</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>USER@WORKSTATION</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>bench needs a benchmark name: import, list or scan</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rates add needs CURRENCY YYYY-MM-DD RATE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rate stored.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rates fetch needs CURRENCY</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--source is an http(s) address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rates needs a subcommand: list, add or fetch</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>documents complete needs one ORDER id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--protocol takes posnet or novitus</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>  fiscal receipt ORDER [--printer ADDR]    print the order's fiscal receipt (never twice)
  fiscal report daily [--date D] [--printer ADDR]   print the daily report
  fiscal status [--printer ADDR]           the printer's state, VAT rates and counters
  fiscal receipts [--state S | --order ORDER]   receipts by state (default: unknown)
  fiscal resolve ORDER --printed [--number N] | --not-printed   answer for an unknown receipt
  fiscal simulate [--port P] [--journal FILE] [--faults SPEC] [--vat A=23,B=8,...]
                  [--protocol posnet|novitus]   run a fiscal printer simulator on this computer
                                           ADDR: tcp://HOST:PORT or serial:/dev/ttyX, with
                                           ?protocol=novitus for a Novitus XML printer
</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF queue:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--on and --off together</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>on (issued invoices are sent)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ksef status needs one document (its number or id)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ksef send needs one document (its number or id)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Revenue (gross)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>VAT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Revenue (net)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Purchase cost</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace fees (billing)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace fees (commission table)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Courier</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment fees</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Packaging</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Profit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Problem: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Note: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>profit needs one order (its number or marketplace id)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Held by the loss guard since %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Loss guard released %1 by %2: %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>profit release needs one order and --reason TEXT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 may be completed now (released by %2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No order is held by the loss guard.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>held</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>released: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>report needs sales</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>report sales needs --from and --to as YYYY-MM-DD</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--by is day, week or month</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 pcs</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 orders</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sales %1 – %2 (%3): gross, profit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Per period</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Per channel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Per product</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 orders in other currencies are not included (use --currency).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>money set needs KEY VALUE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved; profits are recomputed as they are read.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Recomputed the profit of %1 orders.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--weight (grams) and --quantity are whole numbers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>money needs show, set, recompute or shipping-quote</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>  profit ORDER [--json]                    profit of an order: revenue net of VAT less costs
  profit release ORDER --reason TEXT       let an order the loss guard held be completed
  profit holds [--all] [--json]            orders held by the loss guard
  report sales --from D --to D [--by day|week|month] [--currency C] [--csv FILE] [--json]
                                           sales and profit per period, channel and product
  money show                               the money settings (JSON)
  money set KEY VALUE                      commission.default 12.5, commission.allegro-pl 9,
                                           packaging 1.50, payment.CASH_ON_DELIVERY 3+1.5%,
                                           courier.default 12, courier.NAME 10, lossGuard on|off,
                                           minProfit 0, adminEmail A, shipping.base|perKg|
                                           perExtraItem|cod|freeAbove AMOUNT, shipping.zone.CC AMOUNT,
                                           shipping.pickup "Method, ..."
  money recompute                          recompute every order's profit (after price changes)
  money shipping-quote [--weight G] [--quantity N] [--country CC] [--payment METHOD] [--value V]
       [--method DELIVERY] [--json]        what the shipping formula charges
</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>several nodes share one PostgreSQL database: give --postgres URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the database at --postgres already holds orders: give the bench an empty one</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>chaos: %1 kills of %2 sellerdesk --headless node(s) on %3 while the training marketplace sells %4 orders a minute (faults: %5)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SQLite</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>PostgreSQL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a node ended by itself with code %1 before it was killed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the training marketplace did not end the fault storm</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>orders: %1 on the marketplace, %2 stored (stored twice: %3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>  company set --name N --nip NIP --street S --postcode P --city C [--bank-account IBAN] [--email E]
              [--phone P] [--logo FILE]   the seller on every document; company show [--json]
  series list [--json]                    numbering series
  series add NAME --pattern P [--type vat|private|receipt-invoice|correction|proforma]
             [--reset never|yearly|monthly] [--default]   P: e.g. FV/{n}/{MM}/{YYYY}
  invoice issue ORDER [--series S] [--type vat|private|receipt-invoice|proforma] [--offline] [--date D]
                [--pdf FILE] [--xml FILE]
  invoice correct DOC --reason R [--quantity LINE=Q,...] [--price LINE=P,...] [--all] [--pdf F] [--xml F]
  invoice cancel DOC [--reason R]        a draft or an invoice KSeF has not seen
  invoice auto                            invoice the orders downloaded since the last run (D1)
  documents list [--state S] [--type T] [--order ID] [--search TEXT] [--limit N] [--json]
  documents show DOC [--json] [--pdf FILE] [--xml FILE]
  documents complete ORDER [--pdf DIR]    transport slip, invoice (when wanted), warranty card (D6)
  documents settings [--auto-invoice on|off] [--private-persons on|off] [--shipping-vat highest|23|8|5|0]
                     [--oss on|off] [--oss-rate DE=19,...] [--payment-days N] [--auto-series S]
                     [--completion on|off] [--nbp-url URL]   D6 on completion; where rates fetch asks NBP
</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sales %1 – %2 (%3): gross</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Profit is not shown: your role may not see profit.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return %1 (order %2): %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reason: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Accepted after the term: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>From %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Received into %1 (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no stock product</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refund: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>by the seller, outside the marketplace</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Correction invoice: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Attachment: %1 (%2, %3 bytes)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Next: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>returns add needs one order and at least one --item SKU:QTY</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--item is SKU:QTY (or #LINE:QTY), not %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return %1 registered (id %2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--state is one of registered, received, inspected, refunded, replaced, repaired, rejected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No returns.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n unit(s)</source>
        <translation>
            <numerusform>%n unit</numerusform><numerusform>%n units</numerusform></translation>
    </message>
    <message>
        <source>returns show needs one return (its id or number)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>returns advance needs a return and a state</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is not a return state (registered, received, inspected, refunded, replaced, repaired, rejected)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>returns attach needs a return and a file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Attached %1 to return %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--account is the account's number (allegro accounts)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No connected Allegro account.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Account %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Account %1: %2 customer returns read, %3 new, %4 known.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>returns settings set needs KEY VALUE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>  returns add ORDER --item SKU:QTY [--item ...] --reason TEXT [--late-reason TEXT] [--attach FILE]...
                                           register a return (RMA) of an order's items
  returns list [--state S] [--order ORDER] [--open] [--json]
                                           the returns, newest first
  returns show ID|NUMBER [--json]          one return with its items and attachments
  returns advance ID STATE [--warehouse W] [--refund] [--correction] [--json]
                                           move a return on: received (stock back into W), inspected,
                                           refunded (--refund: through Allegro; --correction: the
                                           correction invoice), replaced, repaired, rejected
  returns attach ID FILE                   add a photo or a file to a return
  returns import [--account N]             Allegro customer returns become returns, once
  returns settings [show | set KEY VALUE]  termDays 14, termFrom purchase|shipment, warehouse CODE,
                                           informBuyer on|off
</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>returns needs add, list, show, advance, attach, import or settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--%1 needs a date as YYYY-MM-DD, not "%2"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>service add takes options only (--order ID or --product NAME --buyer NAME ...)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>--line needs the line's number (1, 2, ...)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Service case %1 registered: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No service cases.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>overdue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not a service case number.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>service show needs one case number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Service case</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Serial number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Expected back</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Warranty until</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Next</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Timeline:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>service advance needs a case number and a state (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown service state "%1" (known: %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Service case %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>  service add --order ID [--line N] | --product NAME --buyer NAME [--email E] [--phone P]
       [--serial S] [--problem TEXT] [--service NAME] [--expected YYYY-MM-DD]
       [--warranty-end YYYY-MM-DD] [--language pl|en] [--json]
                                           register a warranty / service case
  service list [--state S] [--open] [--order ID] [--search TEXT] [--json]
  service show CASE [--json]               the case with its timeline
  service advance CASE STATE [--note TEXT] [--expected YYYY-MM-DD]
                                           states: registered, sent, at-service, returned,
                                           handed-back, replaced, rejected (the buyer is told)
</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>service needs a subcommand: add, list, show, advance</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>products set-price needs SKU and PRICE</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Purchase price of %1: %2 %3; the profits of its orders are recomputed as they are read.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>products needs a subcommand: add, list, show, set-price</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>  products add SKU NAME [--ean EAN] [--vat 23] [--price 12.50] [--weight G] [--size LxWxH]
               [--location SHELF] [--serial]   shelf for pick lists; --serial: packing asks for serials
  products list [--json] | show SKU
  products set-price SKU PRICE             a new purchase price (net); its orders' profits follow
  warehouses add CODE [NAME] [--default] | list
  stock receive|issue|count SKU QTY [--warehouse W]    a PZ, WZ or stock-taking document
  stock transfer SKU QTY --warehouse FROM --to TO      an MM document
  stock show SKU | documents | reservations | settings [KEY VALUE]
  stock sync [run|status|release|dismiss|conflicts|take-local OFFER|take-marketplace OFFER]
  offers refresh [--account A] | list [--json] [--linked yes|no] [--sync yes|no] [--format F]
         [--status S] | link OFFER SKU | sync enable|disable OFFER... | end|resume OFFER
  bench sync [--offers N]                against an in-process training marketplace
</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::devices::fiscal</name>
    <message>
        <source>The fiscal printer has no VAT rate %1% for "%2" (its rates: %3). Ask the service to program the rate table.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>waiting to be sent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>being printed (or interrupted)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>printed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not printed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown: check the printer's journal</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A fiscal receipt is printed in PLN; this order is in %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order has no items to put on a receipt.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>An item of the order has no name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The item "%1" has no price.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order's total (%1) differs from its items and delivery (%2); check the order first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The buyer's NIP cannot go on the receipt: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The receipt's record could not be written.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order already has fiscal receipt no. %1; it is not printed twice.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Another receipt of this order is %1; resolve it first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Whether the receipt was printed is unknown (%1). Check the printer's journal and record the answer; it is not printed again on its own.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The receipt was interrupted and the printer cannot be asked now (%1). It will be checked with the printer before any new attempt.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the printer closed other receipts since this one started</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Whether the receipt was printed is unknown: the printer closed other receipts meanwhile. Check its journal and record the answer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Another receipt is open at the printer (started on its keypad or by another program). Finish or cancel it there first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This receipt is being printed by %1 right now.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Another process took over this receipt just now.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no receipt %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The receipt is %1; only an unknown one needs an answer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not printed, as the operator checked</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The connection to the fiscal printer was lost.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The fiscal printer at %1 does not answer. Check that it is on and connected.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The serial port %1 cannot be opened.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not a fiscal printer address; use tcp://HOST:PORT or serial:/dev/ttyX.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The baud rate must be between 1200 and 230400.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The flow control must be none, rtscts or xonxoff.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer does not know this command (a different protocol or firmware).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A required field was missing in the command sent to the printer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer could not read a value in the command (format or range).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer refused the command's token.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer received a damaged frame (wrong checksum). Check the cable or the network.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer received a malformed frame.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A text or number sent to the printer is too long.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer's input buffer is full. Try again in a moment.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer's command queue is full. Try again in a moment.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer received a frame without a checksum.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The operation was cancelled at the printer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This command is not allowed on this printer interface.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Another interface (the keypad or a second computer) is using the printer. Try again later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer could not carry out the operation. Look at its display.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Nothing was sold since the last daily report, so the printer refuses a zero report.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The daily report for a previous day is missing. Print the daily report first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sales are blocked: the printer's memory is full. Call the service.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer's working time has run out and sales are blocked. Enter the authorisation code.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer's subscription has expired and sales are blocked.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The product name is not unique in the printer's database.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The receipt's totals are out of range.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The receipt has no lines.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer has no active VAT rate in the slot sent: the VAT rate table does not match. Read the rate table again or ask the service to program it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer has no active VAT rates. Ask the service to program the rate table.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No receipt is open at the printer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A price sent to the printer is zero or negative.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A quantity sent to the printer is zero or negative.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer's daily totals are full. Print the daily report.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The buyer's NIP is not valid for the printer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer is in read-only mode and cannot sell. Call the service.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A receipt is already open at the printer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A receipt cannot be closed with a total of zero.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The payments do not cover the receipt's total.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer is not in the right state for this step of the receipt.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The buyer's NIP must be exactly ten digits.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer has locked this product name at a lower VAT rate. Rename the product (a name may not be sold at a higher rate later).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer computed a different line value (price times quantity).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer computed a different receipt total than SellerDesk.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer computed a different payment total than SellerDesk.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The fiscal printer refused the command (error %1).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer's cover is open. Close it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer cannot reach its print mechanism.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer is out of paper. Put in a new roll.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer has a power or temperature problem. Check its power supply.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer's paper cutter is jammed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The print mechanism reports a fault (%1).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer's menu is open on its keypad. Leave the menu.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer waits for a key on its keypad.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer shows an error and waits for the operator. Look at its display.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The fiscal printer sent a damaged frame.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The fiscal printer answered a different command.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The fiscal printer did not answer in time.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ready; the paper is running out.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ready.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The receipt's lines and VAT slots do not match.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No fiscal printer is set for this workstation; nothing was printed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order already has fiscal receipt no. %1; not printed again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fiscal receipt no. %1 printed on %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unknown fault "%1": use paper-out, cover-open, paper-out:CMD[#N], bad-crc:CMD[#N], timeout:CMD[#N], drop:CMD[#N] or delay:MS.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The fiscal printer simulator cannot listen on port %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order's discounts (%1) leave nothing to pay for its items; a fiscal receipt cannot carry that.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The protocol must be posnet or novitus.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer reports a fault in its print mechanism (open cover, jammed paper or cutter). Look at its display.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The fiscal printer refused the command (Novitus error %1).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The fiscal printer sent a damaged reply.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::documents</name>
    <message>
        <source>draft</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>issued</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>issued offline</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>waiting for KSeF</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>sent to KSeF</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>accepted by KSeF</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rejected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>corrected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The stored document is damaged.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 %2 issued.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order has no invoice to correct.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return of goods (rule "%1")</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The company data is not complete: %1 Set it with "company set".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order has no items to invoice.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The buyer gave no NIP, so the order gets a receipt, not a VAT invoice (invoices to private persons are off in the document settings).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A correction is made from an invoice, not an order.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A VAT invoice needs the buyer's NIP; this buyer gave none (issue a receipt or an invoice to a private person).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No OSS VAT rate is set for %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order's discounts are larger than its items.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A receipt-backed simplified invoice needs the buyer's NIP.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A simplified invoice may not exceed 450 zł gross; this order is %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A PDF can only be drawn by a graphical program.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The PDF could not be drawn.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The series "%1" numbers %2, not %3.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Another workstation is issuing this document.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Only an invoice can be corrected.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The invoice %1 is %2 and cannot be corrected now.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A correction needs a reason.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The invoice has no line %1 (it has %2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A quantity cannot be negative.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A price cannot be negative.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The correction changes nothing.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 is left for manual invoicing: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1: %2 issued.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 has the invoice %2 already.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The draft was issued or removed meanwhile.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The document could not be stored.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Only a draft can be issued; %1 is %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The document %1 is %2 and cannot become %3.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no document %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no document "%1".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The document %1 has no KSeF XML.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A pro-forma invoice has no KSeF (FA(3)) form.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>line %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The FA(3) schema could not be loaded.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The invoice XML is not well-formed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The invoice does not match the KSeF FA(3) schema: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not a KSeF number.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The numbering series "%1" is damaged.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A numbering pattern must not be empty.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The pattern "%1" must contain the number {n} exactly once.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The pattern "%1" starts again every year, so it must contain {YYYY}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The pattern "%1" starts again every month, so it must contain {MM}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The pattern "%1" has an unknown {...} part; use {n}, {MM}, {YYYY}.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no numbering series "%1".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No numbering series is set up for %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A numbering series needs a name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A numbering series "%1" exists already.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No document number could be reserved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The OSS rate for %1 must be 0-50 %.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The company name is missing.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The company address (street and city) is missing.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The postcode "%1" is not in the form 00-000.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The bank account "%1" is not 26 digits (or PL and 26 digits).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not issued: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Documents %1 made.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not a foreign currency code.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The rate needs the day of its NBP table.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not an exchange rate (a positive number such as 4.2954).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no NBP rate of %1 for the last working day before %2. Add it with "sellerdesk-cli rates add %1 YYYY-MM-DD RATE" or fetch it with "sellerdesk-cli rates fetch %1 --date %2".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NBP has no rate of %1 in the ten days before %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The NBP rates cannot be read: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NBP answered without rates.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF is on, but the seller's NIP for KSeF is not set (Document settings, KSeF).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF is on, but the secret store with its token is not open.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The document %1 does not go to KSeF (%2).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No completion documents: the company data is not filled in (document settings).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 completed: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The NBP address "%1" is not an http or https address.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::domain</name>
    <message>
        <source>The address has no street</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The address has no city</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The address has no post code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The address has no country code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The country code "%1" is not two upper-case letters, such as PL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The post code "%1" is not a Polish post code of the form 00-000</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The phone number is empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The phone number "%1" contains "%2", which is not a digit or a separator</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The phone number "%1" has %2 digits; a Polish number has 9, others need + and the country code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The phone number "%1" has a country code starting with 0</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The phone number "%1" has %2 digits with its country code; an international number has 8 to 15</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The phone number "%1" has %2 digits after +48; a Polish number has 9</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The e-mail address is empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The e-mail address "%1" is longer than %2 characters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The e-mail address "%1" contains a space or a control character</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The e-mail address "%1" must contain exactly one @</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The e-mail address "%1" needs 1 to 64 characters before the @</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The e-mail address "%1" does not end in a domain such as example.pl</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>EAN "%1" contains "%2", which is not a digit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>EAN "%1" has %2 digits; a GTIN has 8, 12, 13 or 14</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>EAN %1 is all zeros</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>EAN %1 has a wrong check digit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The amount "%1" has misplaced spaces; group digits by three, as in 1 234 567,89</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not a known currency code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The amount is empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The amount "%1" has more than one decimal separator (group thousands with spaces, not dots or commas)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The amount "%1" contains "%2", which is not a digit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The amount "%1" needs digits before and after the decimal separator</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The amount "%1" has a space after the decimal separator</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The amount "%1" has more decimal places than %2 allows (%3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The amount "%1" is too large</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NIP "%1" contains "%2", which is not a digit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NIP "%1" has %2 digits instead of 10</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NIP %1 is all zeros</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NIP %1 has a wrong check digit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The VAT rate "%1" is not one of 23, 8, 5, 0, zw, np, oo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Give the buyer's name or company</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A company invoice needs the NIP</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add at least one item</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The item needs a name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The quantity must be at least 1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Give a price of 0 or more</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::domain::Order</name>
    <message>
        <source>%1 is not an amount with a currency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 has an unknown currency %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order has no sales channel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order has no line items</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order has no total amount</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>An order can have at most %1 referrers, this one has %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Line item %1 has no name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Line item %1 (%2) has quantity %3; it must be at least 1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Line item %1 (%2) is not priced in the order's currency %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The delivery cost or paid amount is not in the order's currency %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A surcharge or discount is not in the order's currency %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ksef</name>
    <message>
        <source>Encryption for KSeF failed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The KSeF public key certificate cannot be read.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The KSeF environment must be test, production or an http(s) address, not "%1".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The KSeF submission was not stored.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::labels</name>
    <message>
        <source>The order has no Allegro delivery method, so "Wysyłam z Allegro" cannot ship it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro did not create the shipment: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro has not created the shipment yet; try again in a while.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro created the shipment but sent no tracking number.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro has no label for this shipment yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A barcode needs some data.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The barcode could not be drawn.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" cannot be written as this kind of barcode.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The secret store is not open, so no courier can be used.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"Wysyłam z Allegro" ships Allegro orders only; this order is not one.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>InPost ShipX is not set up: run "sellerdesk-cli label inpost-setup" with the organization and the API token.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unknown courier "%1"; use allegro or inpost.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No courier is set up on this workstation (the secret store is not open).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Label made: %1 %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Label made and the order marked as sent on Allegro: %1 %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No label printer is set for this workstation.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order has no label to print yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Print job %1: %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The label was made before but is no longer stored.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This label is being made right now, or its making was interrupted; look at the courier's panel before trying again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The PDF label could not be made.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>InPost cannot be reached: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>InPost refused the API token; check the ShipX token and organization.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>InPost refused the request: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>InPost ShipX is not set up: the organization and the API token are needed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>InPost has not confirmed the shipment yet; try again in a while.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The training InPost cannot listen on port %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No document printer is set for this workstation.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order has no issued document to print yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Printing a document needs the SellerDesk window on this workstation: a headless node cannot draw the PDF.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: print job %2, %3.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::marketplace</name>
    <message>
        <source>The marketplace account no longer exists.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::marketplace::OrderImporter</name>
    <message>
        <source>the file ends before the list of orders is closed (it may be cut short)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>checkoutForms must be a list of orders</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>at byte %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the order is not valid JSON (%1 %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the order is cut short: the file ends inside it (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(unreadable order %1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the file is not valid JSON: %1 at byte %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(entry %1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the entry is not an order object</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>import</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::marketplace::allegro</name>
    <message>
        <source>the required field %1 is missing</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the field %1 must be text</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the field %1 must be true or false</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the field %1 must be a whole number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the field %1 must be an object</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the field %1 must be a list</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the field %1 has an unknown currency "%2"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the field %1 is not an amount: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the field %1 is not a date and time: "%2"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the field status has an unknown value "%1"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the order has no line items (lineItems is empty)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the field %1 must be at least 1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the field %1 is not a VAT rate: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(no id)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The marketplace account no longer exists.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::messaging</name>
    <message>
        <source>Status changed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Label generated (tracking)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Invoice issued</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment reminder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Review request</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order confirmation request</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message Center autoresponder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Orders downloaded (to the seller)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Deadline passed (to the seller)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the order's number in SellerDesk</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the marketplace's order number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the purchase date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the status as the buyer is told it</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the marketplace</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the marketplace account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the buyer's name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the buyer's login</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the buyer's e-mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the amount to pay</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the payment method</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the payment status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the delivery method</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the delivery address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the items as a table</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the carrier of the last parcel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the last parcel's tracking number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the carrier's tracking page</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the invoice number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the order confirmation link</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the shop's name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the shop's e-mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the shop's phone</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the shop's web address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no message template "%1".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no message template "%1" in "%2".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The template needs a text.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter the mail server's host name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The port must be a number from 1 to 65535.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter the sender's e-mail address, such as shop@example.pl.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The timeout must be from 1 to 300 seconds.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The password needs the secret store, which is not open.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The mail account could not be saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no mail account %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No mail account is configured yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter the SMS gateway's address, such as https://api.smsapi.pl.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The token needs the secret store, which is not open.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The SMS account could not be saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The buyer has neither an e-mail address nor a phone number: nothing was sent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No mail account is configured yet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A message needs an idempotency key.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unknown message channel "%1".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The buyer has no phone number.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The buyer has no e-mail address.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The template "%1" has no text for this channel.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The message could not be recorded.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no message %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The secret store is not open, so the password cannot be read; it will be tried again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No SMS gateway is configured.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>SMS sent to %1 (%n part(s)).</source>
        <translation>
            <numerusform>SMS sent to %1 (%n part).</numerusform>
            <numerusform>SMS sent to %1 (%n parts).</numerusform>
        </translation>
    </message>
    <message>
        <source>The attachment %1 cannot be read: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>E-mail sent to %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Already sent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>An earlier attempt was interrupted; the message may or may not have gone out, so it is not sent again. Check and send it by hand if needed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The secret store is not open, so the password cannot be read.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SellerDesk test message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This is a test message from SellerDesk. The mail account "%1" works.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not a mobile phone number.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The SMS has no text.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The SMS gateway could not be reached.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The SMS gateway failed; it will be tried again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The SMS gateway refused the message: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The SMS gateway's answer was not understood.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The mail account needs a server and a sender address.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The message has no recipient.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The mail library could not start.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The mail server refused the user name or password.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The mail server's certificate is not trusted.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The mail server does not offer STARTTLS.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The mail server refused the message: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The mail server did not answer in time.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The mail server could not be reached or failed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order is confirmed already.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This confirmation link is not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Set the seller's e-mail address for notifications first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1: the payment deadline has passed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1: the dispatch deadline has passed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot create the folder %1 for the training mail server.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The training mail server cannot listen on port %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The folder %1 cannot be created.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 cannot be written: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return registered</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return received</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return inspected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return refunded</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return: replacement sent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return: repaired</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return rejected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Service case: state changed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Service case: still at the service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the return's number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the returned items, one a line</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>why the items came back</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the returned items' value</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the service case's number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the service case's state</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>since when the case is in its state</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the note to the last state change</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the product in service (with its serial number)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>when the product is expected back</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the end of the warranty</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::money</name>
    <message>
        <source>An amount here may not be negative: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::printing</name>
    <message>
        <source>"%1" is not a printer address; use tcp://HOST:9100, cups:QUEUE or pdf:FILE.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Document printer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Label printer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fiscal printer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>created</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rendered</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>sent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>printed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>waiting for the printer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is nothing to print.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>reprint of job %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>by %1 on %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A print job needs the document it prints.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This document was already sent to print as job %1. To print it again, reprint that job and give a reason.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A reprint needs a reason.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the printer took the whole job</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>CUPS finished job %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>sent before (from the action ledger)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The print was interrupted while it was being sent. If nothing came out, reprint the job with a reason.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 as it is</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>PDF rendered at %1 x %2 mm, black and white</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>to %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>to %1 as %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no print job %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The CUPS command %1 is not installed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>CUPS did not answer in time.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>CUPS refused the job: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A PDF cannot be sent to a printer's raw port; choose a CUPS queue for PDF labels.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A ZPL label cannot be written as a PDF file; send it to a label printer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The PDF file %1 cannot be written.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unknown printer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer at %1 does not answer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The printer at %1 stopped taking the label.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The print file cannot be written.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The label is not a PDF that can be printed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The label PDF has no pages.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The label could not be prepared for printing.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The label PDF could not be rendered.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Test page</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::returns</name>
    <message>
        <source>registered</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>received</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>inspected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>refunded</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>replaced</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>repaired</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>rejected</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::scanning</name>
    <message>
        <source>order number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>marketplace order id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>tracking number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>courier label barcode</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>product EAN</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>product SKU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>command barcode</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The scanner port %1 could not be opened: %2</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::security</name>
    <message>
        <source>Encrypting or decrypting the secret file failed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The system keychain refused to %1 a secret.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The system keychain does not keep secrets.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>store</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>read</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>remove</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The encrypted secret file needs a passphrase.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No system keychain is available to keep the Allegro tokens safely. Unlock or install a keychain (for example GNOME Keyring), or choose the encrypted file store and give it a passphrase (for the command line: set SD_SECRET_PASSPHRASE).</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::service</name>
    <message>
        <source>Registered</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sent to service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>At service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Returned from service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Handed back to the buyer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Replaced</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::storage</name>
    <message>
        <source>The action ledger lost an entry.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No action was recorded under %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>In progress</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Shipped</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This database was written by a newer SellerDesk (schema %1; this version knows up to %2). Update SellerDesk before opening it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The database could not be upgraded to schema %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The database is locked by another program. Close the other SellerDesk or database tool and try again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The database cannot be written: it is read-only.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The file is not a SellerDesk database.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The record exists already.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The database reported an error (%1).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no status named "%1".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No order statuses are defined.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A status needs a name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A status name can have at most 60 characters.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is not a colour; use the form #RRGGBB.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A status named "%1" exists already.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The profile folder %1 cannot be created.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No database file was given.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is not a file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The database %1 is read-only. SellerDesk needs to write to it: check the file's permissions.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The folder %1 is read-only. SellerDesk keeps its journal beside the database and needs to write there.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is not a PostgreSQL address; expected postgresql://user:password@host:port/database</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is not a SellerDesk database (it is not an SQLite database at all).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot connect to the PostgreSQL database %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is not a SellerDesk database.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is not a SellerDesk database: it holds other tables. Choose another file or an empty database.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The database %1 cannot be opened.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Commit without a transaction.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A part of the batch failed; nothing of it was saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No order statuses are defined; add one first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A change to an order must say who makes it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>There is no order %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 is damaged in the database.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No order id was given.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The marketplace id %1 belongs to orders of several accounts; use the SellerDesk order number.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No mail account is configured yet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A saved view needs a name.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A saved view's name can have at most 60 characters.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bought</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer login</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Items</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Currency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment method</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delivery method</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Street</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Post code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>City</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Country</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pick-up point</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Invoice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NIP</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The status no longer exists.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The last status cannot be removed: orders need one.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose another status for the orders of the removed one.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>status %1 removed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The database %1 is damaged. Restore your latest backup (sellerdesk-cli backup restore FILE); SellerDesk did not change the file.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::storage::Status</name>
    <message>
        <source>New</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>To ship</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Shipped</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::training</name>
    <message>
        <source>Bad fault spec item "%1": %2. Expected name=probability[:ms] items separated by commas, e.g. 500=0.1,429=0.05,slow=0.1:1500.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no "="</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the probability must be from 0 to 1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>only slow takes milliseconds</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the delay must be 0 to 60000 ms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This operation is not available.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The resource was not found.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The training marketplace cannot listen on port %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot read the training state file %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The file %1 is not a training marketplace state file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot save the training state file %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Too many requests. Wait a moment and try again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The request contains incorrect data. Contact the author of the application.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro has a problem. Try again later.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SellerDesk training marketplace</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The application is connected. You can close this page and go back to SellerDesk.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This code is unknown or has expired. Start connecting again in SellerDesk.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>An application asks for access to the training shop's account. Check that the code matches the one the application shows.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Code:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Approve</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This code is unknown or has expired.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The limit must be a number from 1 to 1000.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The event id is not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unknown event type.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order was not found.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order id is not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The page size or offset is not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Too many results asked for: narrow the date range.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unknown sort order.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This status cannot be set by the seller.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order has changed in the meantime. Refresh it and try again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unknown carrier.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The tracking number is not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The carrier name is too long.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This tracking number is already used in too many orders.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>An item does not belong to this order.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Give 1 to 20 tracking numbers.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The invoice file name is missing.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This order already has an invoice.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The invoice must be a PDF file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This invoice already has a file.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The invoice file is larger than 3 MB.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The invoice file is empty.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The invoice was not found.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The offer was not found.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The stock must be 0 or more.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The price is not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The signature is too long.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The command id is not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This command was already sent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The stock change is not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The publication change is not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The list of offers is not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The offer does not exist.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The quantity must be greater than 0.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>An offer without stock cannot be activated.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The command was not found.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The conversation was not found.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The message must have 1 to 2000 characters.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The recipient, text and order are required.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This buyer did not buy in this order.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The read flag is missing.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The refund is missing required data.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The payment was not found.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This payment cannot be refunded.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The quantity is not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The refund is larger than what is left of the payment.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The item was not found.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A commission refund was already claimed for this item.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The time to claim a commission refund has passed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The commission refund claim was not found.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This claim has already been processed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The previous change of this offer is still being processed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The operation was not found.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The shipment data is not complete.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The shipment was not found.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This is a training profile: it works only with the training services on this computer and does not contact %1. Create a new profile for real work.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The discussion was not found.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The status filter is not valid.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The message must have 1 to 20000 characters.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This message type is not allowed in a discussion.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The discussion is closed: no more messages can be added.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unknown fault; known: 500, 502, 503, 504, 429, slow, malformed, truncated, duplicate-events, reorder-events, storm</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::AccessPages</name>
    <message>
        <source>Back up</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A shared PostgreSQL database is backed up on the server with pg_dump (see docs/deployment.md).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Back up the profile</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SellerDesk backups (*.sqlite)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The profile was saved to %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Restore</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Restore a backup</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Replace everything in this profile with the backup %1? SellerDesk closes afterwards; start it again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The backup was restored. SellerDesk closes now.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Users and roles…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connect to the warehouse database…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Back up the profile…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Restore a backup…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Warehouse database</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved. SellerDesk uses this database from the next start.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::AccountsDialog</name>
    <message>
        <source>Allegro</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro Sandbox (tests)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Training marketplace</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Give the account a name, e.g. the shop's login.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The name is too long (at most 60 characters).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter the training marketplace's address, e.g. http://127.0.0.1:8470.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The training marketplace runs on this computer: its address starts with http://127.0.0.1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter the Client ID of your application registered at Allegro.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace accounts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Keep sign-ins in an &amp;encrypted file…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Seller</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Last download</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Re&amp;name…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Download &amp;every…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Download &amp;now</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connecting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Open the page</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Co&amp;py the code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel connecting</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Looking for the system keychain…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sign-ins can also be kept in a file encrypted with a passphrase you choose.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>connected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not connected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>every %n min</source>
        <translation>
            <numerusform>every %n min</numerusform>
            <numerusform>every %n min</numerusform>
        </translation>
    </message>
    <message>
        <source>Re&amp;connect…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose where sign-ins are kept first (see above).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Another account is being connected; finish or cancel that first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>An account named “%1” already exists.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose an account first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connecting is not possible right now.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connecting “%1”</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Asking the marketplace for a confirmation code…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open the page below, sign in to the marketplace and confirm the code. SellerDesk waits for your confirmation until %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connected as %1. Orders download in the background.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connecting was cancelled.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Renamed to “%1”.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Orders of this account are downloaded every %n minute(s).</source>
        <translation>
            <numerusform>Orders of this account are downloaded every %n minute.</numerusform>
            <numerusform>Orders of this account are downloaded every %n minutes.</numerusform>
        </translation>
    </message>
    <message>
        <source>Disconnected. The orders already downloaded stay; connect again to resume downloading.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The account was removed. Its orders stay in SellerDesk.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connect “%1”</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Client Secret of your application registered at Allegro:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rename account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New name:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Download interval</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Download new orders every (minutes):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove “%1”? Its orders stay in SellerDesk; downloading stops and the sign-in is forgotten.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Encrypted file for sign-ins</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose a passphrase (at least 8 characters). SellerDesk asks for it at every start and cannot recover it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Type the passphrase again:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The two passphrases differ; nothing was changed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sign-ins are kept in %1, encrypted with your passphrase.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::AddAccountDialog</name>
    <message>
        <source>Add a marketplace account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>e.g. the shop's Allegro login</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Marketplace:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Client &amp;ID:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Client &amp;Secret:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>After “Add” SellerDesk shows a page address and a code: open the page, sign in to the marketplace and confirm the code. Passwords are never typed into SellerDesk.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add and connect</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>any value works for training</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::ChangeStatusDialog</name>
    <message>
        <source>Change status</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>New status for %n order(s):</source>
        <translation>
            <numerusform>New status for %n order:</numerusform>
            <numerusform>New status for %n orders:</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Inform customer (e-mail, and SMS where set up)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>When off, the status changes silently: nothing is sent to the buyer.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::ConnectJob</name>
    <message>
        <source>Connecting was cancelled.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::ConnectorController</name>
    <message>
        <source>&amp;Download orders now</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Download new and changed orders from every connected marketplace account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Marketplace accounts…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connector &amp;log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplaces: starting…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved sign-ins are in an encrypted file: enter its passphrase to unlock them.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplaces: locked — click to unlock</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplaces: no keychain — click to choose where sign-ins are kept</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose a passphrase of at least 8 characters.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unlock saved sign-ins</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Passphrase of the encrypted file with marketplace sign-ins:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplaces: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: downloading orders %2 of %3…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplaces: downloading…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: download failed at %2 — %3</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%1: %n new, </source>
        <translation>
            <numerusform>%1: %n new, </numerusform>
            <numerusform>%1: %n new, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n changed — checked at %1</source>
        <translation>
            <numerusform>%n changed — checked at %1</numerusform>
            <numerusform>%n changed — checked at %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) could not be read (see the connector log)</source>
        <translation>
            <numerusform>%n order could not be read (see the connector log)</numerusform>
            <numerusform>%n orders could not be read (see the connector log)</numerusform>
        </translation>
    </message>
    <message>
        <source>Marketplaces: no account — click to add one</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplaces: no account is connected — click to connect</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Marketplaces: %n account(s) connected</source>
        <translation>
            <numerusform>Marketplaces: %n account connected</numerusform>
            <numerusform>Marketplaces: %n accounts connected</numerusform>
        </translation>
    </message>
    <message>
        <source>Click to see the connector log</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::ConnectorLog</name>
    <message>
        <source>Connector log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose a row to see the request and the answer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Only &amp;failures</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n request</numerusform>
            <numerusform>%n requests</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failure(s)</source>
        <translation>
            <numerusform>%n failure</numerusform>
            <numerusform>%n failures</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sd::ui::DatabaseConnectionDialog</name>
    <message>
        <source>Connect to the warehouse database</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Several workstations share one PostgreSQL database. Enter what the person who set up the server gave you; the password is kept in the system keychain.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Require an encrypted connection (TLS)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;User:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Save and use at next start</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter the server and the database.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connected to %1 (schema %2).</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::DocumentListModel</name>
    <message>
        <source>VAT invoice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Invoice (private person)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Simplified invoice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Correction</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pro forma</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(draft)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Issued</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NIP / VAT id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Gross</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Transport slip</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Warranty card</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::DocumentSettingsDialog</name>
    <message>
        <source>Company and documents</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Seller</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>N&amp;IP:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Street:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Postcode:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;City:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Bank account:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>P&amp;hone:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Logo:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Invoice private persons (no NIP) instead of a receipt</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Issue invoices automatically for downloaded orders</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>EU OSS: consumers in other EU countries pay their country's VAT rate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the highest rate of the items</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Documents</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>VAT on s&amp;hipping and surcharges:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment &amp;due after:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pattern</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Starts again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>every month</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>every year</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>default for its type</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Add series</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Numbering series ({n} number, {MM} month, {YYYY} year)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Logo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Images (*.png *.jpg *.svg)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Series %1 added; its first number: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Company and documents</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;KSeF</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>On completion (a status of the closed group): transport slip, invoice and warranty card</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source> months</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Warranty period:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>E&amp;xchange rates</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::DocumentsPage</name>
    <message>
        <source>&amp;Correct…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ca&amp;ncel document</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Documents</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search by number, buyer or NIP (Ctrl+F)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All types</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All states</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save &amp;PDF…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save &amp;XML…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF number: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Correct %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>e.g. return of goods</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Everything returned</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Issue correction</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 issued.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel document</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancel %1? A cancelled document keeps its number and cannot be used again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cancelled by hand</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 cancelled.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save the KSeF XML</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save the PDF</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>XML files (*.xml)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save &amp;UPO…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rejected by KSeF: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Issued offline: KSeF could not be reached; it is sent when KSeF is back.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>UPO (official receipt confirmation) stored: %n byte(s).</source>
        <translation>
            <numerusform>UPO (official receipt confirmation) stored: %n byte.</numerusform>
            <numerusform>UPO (official receipt confirmation) stored: %n bytes.</numerusform>
        </translation>
    </message>
    <message>
        <source>KSeF has not confirmed this document yet: there is no UPO.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save the UPO</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::DurationPicker</name>
    <message>
        <source>Amount</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>minutes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>hours</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A duration cannot be negative.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>At most %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>At least %1.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::ExchangeLogModel</name>
    <message>
        <source>(no body)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(not valid JSON: %1)
%2</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>(%n byte(s) of %1)</source>
        <translation>
            <numerusform>(%n byte of %1)</numerusform>
            <numerusform>(%n bytes of %1)</numerusform>
        </translation>
    </message>
    <message>
        <source>binary data</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no answer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Answer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>answer %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::ExchangeRatesPanel</name>
    <message>
        <source>An invoice in a foreign currency gives its VAT in PLN at the NBP average rate of the last working day before the sale date (art. 31a of the VAT Act). The rate is taken from this table only, so issuing never waits for the network.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Currency</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Table day</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rate (PLN)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NBP table</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Remove selected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Add rate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Type a rate in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>C&amp;urrency:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Day of the table:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ra&amp;te (PLN for one unit):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Table &amp;number (optional):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Fetch from NBP</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fetch from NBP</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Curr&amp;ency:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>For sales &amp;on:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NBP addre&amp;ss:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>typed in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rate of %1 on %2 stored.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Select the rate to remove.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rate of %1 on %2 removed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Type the code of a foreign currency (EUR, CZK, ...).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Asking NBP…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NBP table %1 of %2: 1 %3 = %4 PLN, stored.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::ExecutionLogDialog</name>
    <message>
        <source>Execution log</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>every rule</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>order number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>every result</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>today</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>last 7 days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>last 30 days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>everything</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Runs</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Run again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Queue the failed action again, e.g. after fixing its settings (Ctrl+R)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Rule:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Order:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>R&amp;esult:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n run</numerusform>
            <numerusform>%n runs</numerusform>
        </translation>
    </message>
    <message>
        <source>Job %1 is queued again; the scheduler runs it now.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::FilterPanel</name>
    <message>
        <source>Any</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unpaid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Partly paid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Overpaid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refunded</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Online payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cash on delivery</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bank transfer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Wants an invoice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No invoice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bought from</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Clear filters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save as view…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Payment:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Delivery:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>C&amp;hannel:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>In&amp;voice:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Split payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Deferred payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bought, form not filled in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Form filled in, not paid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ready for processing</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancelled by the buyer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>With a message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Without a message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>any</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Co&amp;untry:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Acc&amp;ount:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace s&amp;tate:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Referrer:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>T&amp;ag:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer's &amp;message:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Amo&amp;unt:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cash</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Company purchase</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::FirstRunWizard</name>
    <message>
        <source>Welcome to SellerDesk</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Start working</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The language of the program's windows and messages.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Documents for buyers keep their own language: Polish, or English for buyers abroad.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your company</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The seller on invoices and receipts. You can change it later in Settings &gt; Company and documents.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Company &amp;name:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;NIP:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Street:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Postcode:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;City:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Bank account:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ten digits; dashes, spaces and the PL prefix are allowed. The last digit is a checksum, so a typo is caught here.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>26 digits (optionally with PL): printed on invoices paid by transfer. May stay empty.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fill in a sample company (for training)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fills the fields with a made-up shop, enough to try everything with the training shop.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Where do the orders come from?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Try with a training shop (recommended for the first days)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Connect my Allegro account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A made-up shop on this computer with a few hundred realistic orders, new ones arriving, a simulated fiscal printer and printers that write PDF files. Every printout says TRAINING and nothing reaches Allegro, KSeF or a courier.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>After this guide the accounts window opens: SellerDesk shows a code, you confirm it on allegro.pl in the browser, and the orders start downloading. Your password never passes through SellerDesk.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Printers of this workstation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Where invoices, labels and receipts go. Each workstation keeps its own printers.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Documents (A4):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A CUPS queue (cups:QUEUE) or a PDF file (pdf:/path/file.pdf).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Labels:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A label printer's port (tcp://192.168.1.50:9100 for ZPL), a CUPS queue (cups:QUEUE) or a PDF file (pdf:/path/labels.pdf).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Fiscal printer:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>tcp://HOST:PORT or serial:/dev/ttyUSB0. In training: the simulator on 127.0.0.1:8471.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Leave a field empty to set it up later in Settings.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Statuses and rules</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Orders move through these statuses, each a tab of the order list: %1. You can rename them and add your own later (Ctrl+,).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rules do the routine for you. The checked ones start working now; the others wait in Settings &gt; Automation rules &gt; Templates.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Training Shop Ltd</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Training shop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The windows switch to the chosen language as soon as you go on.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::HelpBrowser</name>
    <message>
        <source>SellerDesk user guide</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Contents</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The list of the guide's chapters</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::InventoryDialog</name>
    <message>
        <source>Active</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ended</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Inactive</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Activating</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock and offers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Products</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Warehouses</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock &amp;documents</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Offers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SKU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>EAN</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>VAT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Purchase price</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reserved</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Free</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>EAN (optional)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Add product</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Default</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add &amp;warehouse</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Author</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lines</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Note</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Receipt (PZ)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Issue (WZ)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Transfer (MM)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock-taking (INW)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Transfer to</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Post document</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buy now</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Auction</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Archived</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Linked:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sync:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Format:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Publication:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Offer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Publication</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Quantity</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Local stock</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sync</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Auto end/resume</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sync state</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Enable stock sync</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>D&amp;isable stock sync</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>on</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>off (stock sync)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 posted.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Select the offers first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock s&amp;ync</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&lt;b&gt;Held by the anomaly guard&lt;/b&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace now</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Would become</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Release the held list</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The stock sync sends this list once, without the guard</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Dis&amp;miss the held list</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Nothing is sent; the next stock change plans again</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&lt;b&gt;Conflicts: local stock and the marketplace differ&lt;/b&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Local</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Take &amp;local</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The stock sync sets the offer to the local stock</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A stock-taking document in the default warehouse makes the stock what the marketplace shows</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ended (0)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Nothing is held.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No stock sync is waiting for the operator.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Released: the stock sync sends the held list in a moment.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Dismissed: nothing was sent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Select the conflicts first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the stock sync sends the local quantity in a moment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Take mar&amp;ketplace</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::KsefSettingsPanel</name>
    <message>
        <source>&amp;Send every issued invoice to KSeF</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Test (api-test.ksef.mf.gov.pl)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Production (api.ksef.mf.gov.pl)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Another address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>paste a new token to replace the stored one</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Invoices go to KSeF through a queue: while KSeF cannot be reached they are issued offline and sent when it is back. The token is kept in the keychain (or your encrypted secrets file), never in the database.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Environment:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Seller's &amp;NIP:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF &amp;token:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The secret store is not open: a token cannot be read or stored now.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A token is stored in the secret store.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No token is stored yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Seller's NIP: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The secret store is not open: the KSeF token cannot be read.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paste the KSeF token first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The secret store is not open: the KSeF token cannot be stored. Nothing was saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF cannot be switched on without the seller's NIP.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF cannot be switched on without a token: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved. Issued invoices are sent to KSeF.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved. KSeF is off: invoices are not sent.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter the seller's NIP first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Connected: KSeF accepted the token for NIP %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>KSeF did not accept the connection: %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::LoginDialog</name>
    <message>
        <source>Log in to SellerDesk</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Workstation: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;User:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Log in</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::MainWindow</name>
    <message>
        <source>SellerDesk — %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Find</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Next order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Previous order</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n order(s)</source>
        <translation>
            <numerusform>%n order</numerusform>
            <numerusform>%n orders</numerusform>
        </translation>
    </message>
    <message>
        <source>Change status…</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Changing the status of %n order(s)…</source>
        <translation>
            <numerusform>Changing the status of %n order…</numerusform>
            <numerusform>Changing the status of %n orders…</numerusform>
        </translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>changed by hand</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>The status of %n order(s) could not be changed: %1</source>
        <translation>
            <numerusform>The status of %n order could not be changed: %1</numerusform>
            <numerusform>The status of %n orders could not be changed: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Status set to %1 for %n order(s); the buyers will be told.</source>
        <translation>
            <numerusform>Status set to %1 for %n order; the buyer will be told.</numerusform>
            <numerusform>Status set to %1 for %n orders; the buyers will be told.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Status set to %1 for %n order(s), silently.</source>
        <translation>
            <numerusform>Status set to %1 for %n order, silently.</numerusform>
            <numerusform>Status set to %1 for %n orders, silently.</numerusform>
        </translation>
    </message>
    <message>
        <source>Filters</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Show the filter panel (Ctrl+Shift+F)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save view</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name of the view (it becomes a tab):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add tag…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove tag…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Export to CSV…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Export orders</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add tag</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove tag</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Tag for %n order(s):</source>
        <translation>
            <numerusform>Tag for %n order:</numerusform>
            <numerusform>Tag for %n orders:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Changing tags of %n order(s)…</source>
        <translation>
            <numerusform>Changing tags of %n order…</numerusform>
            <numerusform>Changing tags of %n orders…</numerusform>
        </translation>
    </message>
    <message>
        <source>tags changed by hand</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>The tags of %n order(s) could not be changed: %1</source>
        <translation>
            <numerusform>The tags of %n order could not be changed: %1</numerusform>
            <numerusform>The tags of %n orders could not be changed: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Exporting %n order(s)…</source>
        <translation>
            <numerusform>Exporting %n order…</numerusform>
            <numerusform>Exporting %n orders…</numerusform>
        </translation>
    </message>
    <message>
        <source>The export failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n order(s) exported to %1</source>
        <translation>
            <numerusform>%n order exported to %1</numerusform>
            <numerusform>%n orders exported to %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Ctrl+Shift+F</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order statuses…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New order…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Edit order…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 comes from %2: its data is the marketplace's. Only manual orders are edited here.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Orders</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Columns</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>As the system</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The language changes when SellerDesk starts again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Edit notes…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Notes of order %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Notes for the team (not shown to the buyer):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>notes edited</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open in a window</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Automation rules…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search: number, marketplace id, buyer, e-mail, item, SKU, EAN or tracking number (Ctrl+F)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Run rule…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>run by hand</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Documents…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Company and documents…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Issue invoice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock and offers…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Invoices: %1 issued, %2 left for manual invoicing, %3 failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>invoice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 issued for order %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Automation: starting…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Automation: running</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Automation: not running here</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>TRAINING — a training shop with simulated printers: nothing here is real and nothing leaves this computer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This profile works with the training marketplace and the simulators. Every printout is marked TRAINING. Create a new profile for real work.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>User guide</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Opens the user guide at the chapter about the window you are in (F1 works in every window).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>First-run guide…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Profit, shipping and loss guard…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sales and profit reports…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Messaging…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message templates…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Messages…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Messages of the order…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Request confirmation (again)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Confirm by hand</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Printers…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Print queue…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Receipt and label…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Packing station</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pick list…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Barcode scanner…</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>The training shop is ready: %n order(s) to try everything on.</source>
        <translation>
            <numerusform>The training shop is ready: %n order to try everything on.</numerusform>
            <numerusform>The training shop is ready: %n orders to try everything on.</numerusform>
        </translation>
    </message>
    <message>
        <source>packing station</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Scanned %1: order %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1
SKU %2 · EAN %3 · location %4
In stock: %5 (reserved %6)
%7</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not set</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose an order before scanning a command barcode.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>command barcode</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Command barcode: the rule runs on %n order(s).</source>
        <translation>
            <numerusform>Command barcode: the rule runs on %n order.</numerusform>
            <numerusform>Command barcode: the rule runs on %n orders.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing is known by the scanned code %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 confirmed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Confirmation request queued for %1.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n order(s) passed a payment or dispatch deadline.</source>
        <translation>
            <numerusform>%n order passed a payment or dispatch deadline.</numerusform>
            <numerusform>%n orders passed a payment or dispatch deadline.</numerusform>
        </translation>
    </message>
    <message>
        <source>SellerDesk: deadlines</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Confirmed by the buyer's reply</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Returns…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Register return…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Service cases (warranty)…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose the order whose items come back.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::MessagesDialog</name>
    <message>
        <source>Messages of order %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Received</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Thread</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Received</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Sent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (you)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SMS</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>sent</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>queued</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>will be tried again: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>being sent</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::MessagingSettingsDialog</name>
    <message>
        <source>Messaging settings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Security</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>From</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Store</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>recipient of the test e-mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Send &amp;test e-mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New mail account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>e.g. Shop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>STARTTLS (required)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SSL on connect</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>None (local server only)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>empty: the default account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Se&amp;curity:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;User:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;From address:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>From na&amp;me:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace &amp;account (sender for its orders):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Add mail account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SMS gateway</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>unchanged when empty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>N&amp;ame:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sen&amp;der name:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save SMS &amp;gateway</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Accounts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Status changes also by SMS (when a gateway is set)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>E-mail issued invoices to the buyer with the PDF</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Attach issued invoices to the Allegro order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>E-mail me the number of new orders after each download</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the seller's address for notifications</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source> days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>E-mail me each passed deadline too</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Seller's &amp;e-mail:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Alert when unpaid &amp;after:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Alert when not &amp;dispatched after:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Notifications</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Answer buyers' messages automatically</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message Center</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Discussions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>always</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>within working hours</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>outside working hours</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Only the first message in a thread</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message>
        <source>at once</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>marketplace account numbers, comma-separated; empty: all</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The reply; {shopName} is the shop's name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Holidays: one date a line, e.g. 2026-12-25</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message types:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;When:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Delay:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Acc&amp;ounts:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Reply:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Working hours:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Holidays:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Auto&amp;responder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>default</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The autoresponder needs the text of its reply.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: the working hours must end after they start.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not a date (write it as 2026-12-25).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Give the seller's e-mail address for these notifications.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A mail account needs its server and a sender address.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The secret store is not open: the password cannot be kept. Open it first (Accounts).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Mail account %1 added.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The gateway's address is not a URL.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SMS gateway saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add a mail account first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Give the address to send the test e-mail to.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The test e-mail was not sent: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The test e-mail went to %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>e.g. https://sklep.example.pl/potwierdz (empty: the shop's address + /confirm)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order &amp;confirmation link:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The confirmation link must be a web address such as https://sklep.example.pl/potwierdz.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::MoneySettingsDialog</name>
    <message>
        <source>Add row</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove row</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Profit, shipping and loss guard</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Default marketplace commission (%)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Commission (%)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Commission per channel
(when the marketplace's billing
gives none)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Packaging per order (PLN net)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Courier cost, default (PLN net)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delivery method</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Courier cost (PLN net)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Courier cost per method</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment method</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fee (e.g. 0.30+1.9%)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment fees</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Costs</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Base (PLN)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Per started kg (PLN)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Per item after the first (PLN)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cash on delivery surcharge (PLN)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Free shipping from (PLN, 0: never)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pick-up methods (free; comma-separated)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Country (* = others)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Zone surcharge (PLN)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Zones</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Preview</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Weight (g)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Quantity</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Country</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Online payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bank transfer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cash</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cash on delivery</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Company purchase</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Courier</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Goods value (PLN)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Shipping formula</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Keep orders that would be completed at a loss out of the completed statuses</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lowest acceptable profit (PLN)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>optional: also e-mail the administrator</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Administrator's e-mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Orders held by the loss guard:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Since</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Profit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reasons</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Why the order may be completed anyway</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Release</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Loss guard</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>held</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>released by %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Default commission</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1, row %2: the first column is empty.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1, row %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Commission per channel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Packaging</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Courier cost</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Base</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Per started kg</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Per item after the first</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cash on delivery surcharge</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Free shipping from</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pick-up methods</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Lowest acceptable profit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The weight is a whole number of grams.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved. Profits are recomputed with these settings as they are shown.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose an order that is held in the list first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 may be completed now.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::OrderAutomationTab</name>
    <message>
        <source>When</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>What happened</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rules that looked at this order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Trace</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No rule has looked at this order yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>conditions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>timer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>action</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(deleted)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::OrderDevicesTab</name>
    <message>
        <source>Fiscal receipt</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Issue receipt</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Resolve unknown receipt…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Shipping label</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>C&amp;ourier:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Wysyłam z Allegro</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>InPost (ShipX)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Create label</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Print label</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unknown receipt</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Whether this receipt was printed is unknown. Look at the printer's journal (or its last receipts): is there a receipt for this order?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>It was printed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>It was not printed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Receipt number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The number printed on the receipt (0 if unreadable):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reprint the label</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Why is the label printed again?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No order selected.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No receipt yet. No fiscal printer is set for this workstation (Settings → Printers).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No receipt yet. Fiscal printer: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Receipt: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no. %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No label yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Label: %1 · tracking number %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No fiscal printer is set for this workstation (Settings → Printers).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Receipt %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Recorded: the receipt was printed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Recorded: the receipt was not printed; it can be issued again.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>label</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order has this courier's label already: %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Label made: %1 %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No label printer is set for this workstation (Settings → Printers).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order has no label to print yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This label was printed before; a reprint needs a reason.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This label was never printed; print it first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Print job %1: %2.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::OrderEditor</name>
    <message>
        <source>Edit order %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>First name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Last name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Company</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NIP</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Login</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delivery</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Street and number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Post code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>City</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Country</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delivery cost (PLN)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bank transfer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cash on delivery</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Online payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cash</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paid in full</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Wants an invoice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Invoice company</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Invoice NIP</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Items</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SKU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>EAN</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Qty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unit price (PLN)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>VAT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add item</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove item</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Notes for the team (not shown to the buyer)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Item %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Some fields need attention; nothing was saved yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>edited by hand</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>manual order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The order could not be saved: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Referrers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>e.g. phone, fair (comma-separated)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>At most %1 referrers, separated by commas; this order has %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Calculate by the shipping formula</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Company purchase</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::OrderListModel</name>
    <message>
        <source>Paid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unpaid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>COD</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Items</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delivery</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Partly paid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Overpaid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refunded</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Profit</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::OrderView</name>
    <message>
        <source>When</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No order selected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose an order in the list to see it here.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 · %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bought</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Login</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>NIP</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delivery</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cost</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Address</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pick-up point</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Partly paid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Overpaid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refunded</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unpaid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cash on delivery</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paid at</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Invoice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Company</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Items</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Item</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SKU / EAN</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Qty</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Price</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Total</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer's comment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Tags</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Referrers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Online payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bank transfer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Split payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Deferred payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Manual order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>first name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>last name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>company</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>street</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>city</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>post code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>country</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>phone</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace revision</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace state</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fulfilment state on the marketplace</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer's marketplace id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer's login</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer's e-mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer's first name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer's last name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer's company</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer's NIP</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer's phone</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bought as a guest</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer's language</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delivery method id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delivery method</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pick-up point name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pick-up point description</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delivery cost</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment method</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment provider</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payment status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Amount paid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Invoice wanted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Invoice company</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Invoice NIP</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>VAT payer status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Number of items</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Number of surcharges and discounts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer's message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bought at</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Updated on the marketplace</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pick-up point address: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delivery address: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Invoice address: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>marketplace id</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>offer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SKU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>EAN</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>quantity</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>price</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>price before discount</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>VAT rate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>kind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>description</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>amount</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Item %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Surcharge or discount %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Source and referrers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Offers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>none noted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Documents</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No documents yet (invoices, receipts and corrections appear here).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Shipments</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No shipments yet (parcels, labels and tracking numbers appear here).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Automation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Carrier</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Tracking number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Tracking status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not reported yet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>on hand / reserved / available</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stock</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>On hand %1, reserved %2, available %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cash</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Company purchase</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Receipt and label</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SMS to %1 (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>E-mail to %1 (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>messaging</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer in a discussion</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message from the buyer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Your reply on the marketplace</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::OrderWindow</name>
    <message>
        <source>◀ Previous</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Previous order (Ctrl+PgUp)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Next ▶</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Next order (Ctrl+PgDown)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Next order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Previous order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 — SellerDesk</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::PackingStation</name>
    <message>
        <source>Packing station</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Location</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Packed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Serial numbers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Scan, or type a code and press Enter</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Scan an order, its tracking number or its courier label.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Waiting for an order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Packing: %1 of %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refused</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 · %2 · %3 · %4</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>F5 pause · F8 missing item · F9 sounds %1 · Esc leave</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>on</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>required</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 was packed before.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Resumed (found by %1): scan the next item.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Found by %1: scan the items.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>That is order %1. Finish this one, or pause it with F5 first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 is packed. The label and the rest follow by themselves; scan the next order.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Scan an order before a command barcode.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rule started for order %1.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%1 (%2): %n in stock. Scan an order first.</source>
        <translation>
            <numerusform>%1 (%2): %n in stock. Scan an order first.</numerusform>
            <numerusform>%1 (%2): %n in stock. Scan an order first.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing is known by the code %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 is paused; scan it again to go on.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1 is set aside as "%2" for the missing items.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Missing item</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Move the order to:</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::PickListDialog</name>
    <message>
        <source>Pick list</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>The %n chosen order(s)</source>
        <translation>
            <numerusform>The %n chosen order</numerusform>
            <numerusform>The %n chosen orders</numerusform>
        </translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Orders:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Location</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SKU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>EAN</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Units</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Orders</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n product(s), %1 unit(s) to pick.</source>
        <translation>
            <numerusform>%n product, %1 unit to pick.</numerusform>
            <numerusform>%n products, %1 units to pick.</numerusform>
        </translation>
    </message>
    <message>
        <source>Save the pick list</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>pick-list.pdf</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Pick list: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The file %1 could not be written: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::PrintQueueDialog</name>
    <message>
        <source>Print queue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;State:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Job</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Printer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Tries</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reprint of / reason</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Re&amp;print…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Re&amp;try now</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reprint job %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Why is it printed again? (e.g. the label was torn, the printer jammed)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>reprint of %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A reprint needs a reason, so that the queue says why the document was printed twice.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reprint: job %1, %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Job %1: %2.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::PrintersDialog</name>
    <message>
        <source>None</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Network (TCP host:port)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Serial or USB port</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>CUPS queue</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>ZPL printer over TCP (host:port)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>PDF file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Printers of this workstation (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Where this computer prints. Each workstation keeps its own choice; test pages go through the print queue like every other print.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Connection:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Where:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Posnet (Thermal, Temo, Trio, Vero, Evo)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Novitus XML (Deon, Bono, HD II, POINT)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>P&amp;rotocol:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Check the printer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Print test page</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>queue name, e.g. Zebra_GK420d</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>e.g. 192.168.1.50:6666</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>e.g. 192.168.1.60:9100</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>e.g. /home/anna/labels/label.pdf</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>e.g. /dev/ttyACM0</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved for this workstation.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 VAT rates: %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Test page: print job %1, %2.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::RegisterReturnDialog</name>
    <message>
        <source>Register return of order %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SKU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Item</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Bought</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Returned</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>e.g. withdrawal from the contract, damaged, wrong size</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>only for a return after the legal term</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Late, accepted because:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add &amp;photo or file…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Photos and files of the return</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Attachments:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Register return</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Returned units of %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The return term ended on %1: say why the return is accepted anyway.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Returns are in time until %1.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::ReportsPage</name>
    <message>
        <source>Sales and profit reports</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Per day</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Per week</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Per month</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Show</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Export report</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;From</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;To</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sales and profit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Channels</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Products</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Statuses</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Period</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Units</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Orders</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sales (gross)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sales (net)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Profit</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n order(s): sales %1 gross, %2 net, profit %3.</source>
        <translation>
            <numerusform>%n order: sales %1 gross, %2 net, profit %3.</numerusform>
            <numerusform>%n orders: sales %1 gross, %2 net, profit %3.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) in other currencies are not included.</source>
        <translation>
            <numerusform>%n order in other currencies are not included.</numerusform>
            <numerusform>%n orders in other currencies are not included.</numerusform>
        </translation>
    </message>
    <message>
        <source>The report could not be saved to %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved %1.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n order(s): sales %1 gross, %2 net.</source>
        <translation>
            <numerusform>%n order: sales %1 gross, %2 net.</numerusform><numerusform>%n orders: sales %1 gross, %2 net.</numerusform></translation>
    </message>
</context>
<context>
    <name>sd::ui::ReturnsPage</name>
    <message>
        <source>Returns</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open returns</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All returns</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Register return…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Download Allegro returns</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Allegro's customer returns of every connected account become returns here, each once.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Units</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Registered</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SKU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Item</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Quantity</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Price</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Items:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add &amp;photo…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Save as…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Attachments:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Timeline:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Next step</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Warehouse:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refund through &amp;Allegro</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Correction invoice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>returns</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Returns of order %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No return chosen</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return %1 – order %2 – %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Reason: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Accepted after the term: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Customer return on Allegro: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Received into %1 %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refunded by the seller</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refund on Allegro: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Correction invoice: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (%2 kB)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 → %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Mark %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This return is closed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return %1 is %2 now.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Return %1 registered.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The secret store with the marketplace tokens is not open; no return was downloaded.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n new return(s) from Allegro.</source>
        <translation>
            <numerusform>%n new return from Allegro.</numerusform><numerusform>%n new returns from Allegro.</numerusform></translation>
    </message>
    <message>
        <source>Photos and files of the return</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Save the attachment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%1: %2, %n unit(s), %3</source>
        <translation>
            <numerusform>%1: %2, %n unit, %3</numerusform><numerusform>%1: %2, %n units, %3</numerusform></translation>
    </message>
    <message>
        <source>Register return…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Returns of this order…</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::RuleEditor</name>
    <message>
        <source>Rule %1 — %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New rule</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The rule has changes that are not saved. Save them?</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Enabled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no limit</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>O&amp;wner:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;At most per order:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Group:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (arrives with a later feature)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Type to search the events…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Event:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>If</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Conditions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>+ Condition</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>+ AND</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>+ OR</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>+ NOT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>+ Line items</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Up</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Down</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Then</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Actions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (not configured yet)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Action to add</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>+ Action</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>+ If it fails</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Rule</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Test</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Versions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Undo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Redo</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a NOT group needs exactly one condition inside (use an AND or OR group for more)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>a line item group needs exactly one condition inside (use an AND or OR group for more)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rename</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Change the group</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Change the description</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Change the owner</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enable</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Disable</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Change the limit per order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose the event</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Change the event</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add a condition</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Change a condition</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove a condition</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Move a condition</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add an action</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Change an action</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Change a delay</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Change what a failure does</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove an action</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Move an action</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This event is emitted once its feature is set up; the rule waits until then.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>if it fails: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All of these hold (AND)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Any of these holds (OR)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Group kind</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Group:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The condition inside must not hold.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>At least one line item</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Every line item</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No line item</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>matches the condition inside.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Operator</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not configured yet: the trace says so until its feature is set up.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delay</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delay:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stop the rule if this action fails</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The rule cannot be saved yet:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Change the scope</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::RuleFormFactory</name>
    <message>
        <source>From</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>To</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>and</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Values</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>values separated by commas</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Value</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(any)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(choose a rule)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>{…} Insert</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Insert a placeholder; the order's value replaces it when the action runs.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 — e.g. %2</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::RuleListModel</name>
    <message>
        <source>No group</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>on</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>off</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>never</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>dead</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>conflict</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>can loop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enabled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Last acted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>30 days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>90 days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Failures</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Owner</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Warnings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>every account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>every courier</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Acts on</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::RuleScopeEditor</name>
    <message>
        <source>Accounts the rule acts on</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Couriers the rule acts on</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Another courier: type its name, Enter</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Another courier</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Sc&amp;ope:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>every account</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>accounts: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>every courier</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>couriers: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No marketplace account in this profile yet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (not connected)</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::RuleTemplates</name>
    <message>
        <source>Paid → "To ship"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>When the payment of an order arrives, the order moves to the "To ship" tab.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cash on delivery → same tab as paid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A new cash-on-delivery order goes straight to "To ship", beside the paid ones.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Wants an invoice with NIP → invoice in series B</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A paid order whose buyer wants an invoice and gave a NIP gets an invoice in series B, sent by e-mail.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Wants an invoice without NIP → status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>An order that asks for an invoice but has no NIP waits in "New" with a tag, so someone checks the data.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No invoice → fiscal receipt</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A paid order without an invoice request gets a fiscal receipt.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cash on delivery: invoice when the parcel is picked up</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>For cash-on-delivery orders the invoice is issued only when the buyer picks up the parcel.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Label generated → mark shipped</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Once the shipping label exists, the marketplace learns the tracking number and the order becomes "Shipped".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unpaid for 3 days → reminder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Three days after an order that is still unpaid (and not cash on delivery), the buyer gets a reminder e-mail.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unpaid for 7 days → claim, status, stock back</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A week without payment: the commission refund is claimed, the order is cancelled and its stock returns to the warehouse.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cancelled → commission claim and refund</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>When the buyer cancels, the payment is refunded and the marketplace commission claimed back.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Shipped + 10 days → ask for a review</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ten days after shipping the buyer is asked for feedback.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Foreign country → document with its VAT</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>An order delivered abroad gets an invoice in the OSS series, with the buyer country's VAT.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Channel → tag with the employee's name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Orders from one marketplace account get the tag of the person who handles that account.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Paid → call a URL</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>When an order is paid, your own server is told at an address with the order's data.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Autoresponder outside working hours, first message, after 15 min</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A buyer who writes after hours gets one reply 15 minutes later saying when you will answer.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Autoresponder in working hours, every message, after 60 min</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>During working hours every message not answered within an hour gets a short reply.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Unhandled for 24 hours → status and alert</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A paid order left in "New" for a day moves to "To ship" and the operator is told.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Payments</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Documents</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Shipping</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>After-sales</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Team</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Integrations</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Messages</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>check NIP</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Refund failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order {orderId} waited 24 h</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::RuleTemplatesDialog</name>
    <message>
        <source>Rule templates</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ready-made rules from everyday selling. Pick one, read what it does, and open it in the editor to adjust it before saving. Actions marked "not configured" start working when their feature is set up.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Open in the editor</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 · %2</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::RuleTestPanel</name>
    <message>
        <source>Try the rule as it is now on past orders. Nothing is changed: no status, no number taken, nothing sent. The event is not checked; the scope and the conditions are.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>e.g. 12, 15, 40 (empty: the period)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>last 7 days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>last 30 days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>last 90 days</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>every order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Only matching orders</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Run the test</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Orders:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>or &amp;period:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Marketplace number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Matches</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>What would happen</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Tested orders</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Trace</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Fix the rule first: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>"%1" is not an order number.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n order(s) tested</source>
        <translation>
            <numerusform>%n order tested</numerusform>
            <numerusform>%n orders tested</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n match</numerusform>
            <numerusform>%n matches</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::RuleText</name>
    <message>
        <source>unpaid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>paid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>partly paid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>overpaid</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>refunded</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>online payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cash on delivery</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>bank transfer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>split payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>deferred payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the order date</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the payment</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>the last status change</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>GET</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>POST</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>at any time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>within working hours</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>outside working hours</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>every message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>only the first message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hour</numerusform>
            <numerusform>%n hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minute</numerusform>
            <numerusform>%n minutes</numerusform>
        </translation>
    </message>
    <message>
        <source>All of these hold (AND)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Any of these holds (OR)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Not (NOT)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>At least one line item:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Every line item:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No line item:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 and %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>after %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>stops the rule if it fails</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(not configured yet)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Group: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Description: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Owner: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enabled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Disabled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Only for accounts: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Only for couriers: %1</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>At most %n time(s) per order</source>
        <translation>
            <numerusform>At most %n time per order</numerusform>
            <numerusform>At most %n times per order</numerusform>
        </translation>
    </message>
    <message>
        <source>When: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>If:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Then:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Condition</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Test</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Expected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order has</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>line items: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>holds</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>fails</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delay: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Stops the rule if it fails</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Action: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>If it fails: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>cash</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>company purchase</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::RuleVersionsPanel</name>
    <message>
        <source>Version</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>By</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Versions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Changes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Roll &amp;back to this version</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Every save keeps a version. Choose one to see what it changed against the one before; rolling back saves a new version equal to it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The rule has no versions before it is saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Version %1 against version %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Version %1: the rule as first saved</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Version %1 is now the rule again, saved as version %2.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n line(s) added</source>
        <translation>
            <numerusform>%n line added</numerusform>
            <numerusform>%n lines added</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) removed</source>
        <translation>
            <numerusform>%n line removed</numerusform>
            <numerusform>%n lines removed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sd::ui::RulesPage</name>
    <message>
        <source>Automation rules</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Search rules by name, group, owner or event (Ctrl+F)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rules</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Warnings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;New…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>From a &amp;template…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Duplicate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>De&amp;lete…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Import JSON…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Import rules</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rules (*.json)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>E&amp;xport JSON…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Export rules</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Versions…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Execution &amp;log…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Warnings:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Dead rule</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Conflict</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Can loop</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No warnings: every rule can act and none fights another.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Copied as "%1", disabled until you enable it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete rule</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Delete the rule "%1" with all its versions? Its traces and the execution log stay.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Deleted "%1".</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 is not JSON: %2</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n rule(s) imported.</source>
        <translation>
            <numerusform>%n rule imported.</numerusform>
            <numerusform>%n rules imported.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n rule(s) exported to %1.</source>
        <translation>
            <numerusform>%n rule exported to %1.</numerusform>
            <numerusform>%n rules exported to %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Versions of rule %1</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::RunLogModel</name>
    <message>
        <source>done</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>will retry</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>skipped: already done</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>not configured</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>fired</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>did not fire</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>stopped: chain too deep</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>stopped: limit per order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>timer set</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>(deleted)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>timer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Took</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Job</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::RunRuleDialog</name>
    <message>
        <source>Run rule</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Run a rule on %n order(s). Only enabled rules whose trigger is "Run by hand" are offered.</source>
        <translation>
            <numerusform>Run a rule on %n order. Only enabled rules whose trigger is "Run by hand" are offered.</numerusform>
            <numerusform>Run a rule on %n orders. Only enabled rules whose trigger is "Run by hand" are offered.</numerusform>
        </translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No rule runs by hand yet: give a rule the trigger "Run by hand" in Settings → Automation rules.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>Rule "%1" will run on %n order(s); the automation shows each run in the order's Automation tab.</source>
        <translation>
            <numerusform>Rule "%1" will run on %n order; the automation shows each run in the order's Automation tab.</numerusform>
            <numerusform>Rule "%1" will run on %n orders; the automation shows each run in the order's Automation tab.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sd::ui::ScannerSettings</name>
    <message>
        <source>Barcode scanner</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source> ms</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Enter</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Tab</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Beep when the packing station refuses a scan</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Longest gap between keys of one scan:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Shortest code:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The scanner ends a code with:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Prefix the scanner sends first:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>none (keyboard scanner)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Serial or USB-CDC scanner port (from the next start):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Scan here to test</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Scan any barcode: what was recognised appears here</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Nothing scanned yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Command barcodes (scanning one runs its rule on the open order)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rule</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Code, e.g. CMD-PACKED</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>no rule runs by hand yet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Recognised as a scan: %1, order %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Recognised as a scan: %1, product %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Recognised as a scan: %1, rule %2.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Recognised as a scan, but no order, product or command has this code.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose at least one key the scanner ends a code with.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::ServiceCasesPage</name>
    <message>
        <source>Service cases</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Open cases</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>All cases</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Product, serial number, buyer or case number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Show</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>S&amp;earch</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;New case…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Buyer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Expected back</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>N&amp;ote to the next step (the buyer reads it)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Overdue: expected back on %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Expected back today</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No service cases here.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose a case on the left.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Service case %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Serial number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Service</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (overdue)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Warranty until</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Timeline</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>→ %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The case is closed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Case %1: %2. The buyer is informed by e-mail when an address is known.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New service case</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>SellerDesk or marketplace number (optional)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>1, 2, ... (an order with several lines)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Order</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Line</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Product</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Serial number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Buyer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;E-mail</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>P&amp;hone</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>P&amp;roblem</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ser&amp;vice</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>E&amp;xpected back</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The line is its number: 1, 2, ...</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Service case %1 registered.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::StatusSettings</name>
    <message>
        <source>Order statuses</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Every status is a tab of the order list. The group decides where its orders count.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Colour…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Move &amp;up</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Move &amp;down</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Group:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Rename status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Remove status</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>%n order(s) have this status. Move them to:</source>
        <translation>
            <numerusform>%n order has this status. Move it to:</numerusform>
            <numerusform>%n orders have this status. Move them to:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sd::ui::StatusTabs</name>
    <message>
        <source>All (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved view</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::TemplatesEditor</name>
    <message>
        <source>Message templates</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Polish</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>English</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Placeholders: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Template:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Subject:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Te&amp;xt:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>S&amp;MS:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Preview with &amp;order:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Order %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No SMS text.</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <source>SMS: %n character(s)</source>
        <translation>
            <numerusform>SMS: %n character</numerusform>
            <numerusform>SMS: %n characters</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n part(s)</source>
        <translation>
            <numerusform>%n part</numerusform>
            <numerusform>%n parts</numerusform>
        </translation>
    </message>
    <message>
        <source> (Polish letters: 70 characters a part)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The template needs a text.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Saved.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Back to the built-in template.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::TrainingLauncher</name>
    <message>
        <source>The training marketplace could not be started on %1 (see training-marketplace.log in the profile folder).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The fiscal printer simulator could not be started on %1.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::UsersDialog</name>
    <message>
        <source>Users and roles</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>No users yet: SellerDesk starts without a login. The first user you add must be an administrator and logs in automatically on this workstation (%1).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Logged in as %1 (%2) on %3.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>&amp;Users</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Automatic login here</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Set &amp;password…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Change &amp;role…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Log in &amp;automatically here</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Ask at &amp;start</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>R&amp;oles</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Permissions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Add a user</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Password (at least 6 characters)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>A&amp;dd</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>switched off</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>User %1 added.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Choose a user first.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Set password</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>New password for %1:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>The password of %1 was changed.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Change role</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>Role of %1:</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>%1 logs in automatically on this workstation.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <source>This workstation asks who logs in at start.</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>sd::ui::WindowHost</name>
    <message>
        <source>“%1” is connected to the training marketplace on this computer.</source>
        <translation type="unfinished" />
    </message>
</context>
</TS>
