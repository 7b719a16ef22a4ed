<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl_PL">
<context>
    <name>AccountStore</name>
    <message>
        <source>An account needs a name.</source>
        <translation>Konto musi mieć nazwę.</translation>
    </message>
    <message>
        <source>The account's API address is not a valid URL.</source>
        <translation>Adres API konta nie jest poprawnym adresem URL.</translation>
    </message>
    <message>
        <source>An account called %1 exists already.</source>
        <translation>Konto o nazwie %1 już istnieje.</translation>
    </message>
    <message>
        <source>The account was not saved.</source>
        <translation>Konto nie zostało zapisane.</translation>
    </message>
    <message>
        <source>The download interval must be from 1 minute to 24 hours.</source>
        <translation>Odstęp pobierania musi wynosić od 1 minuty do 24 godzin.</translation>
    </message>
    <message>
        <source>This is a training profile: it can only connect to the training marketplace on this computer, not to %1. Create a new profile for real work.</source>
        <translation>To jest profil szkoleniowy: może łączyć się tylko z serwisem szkoleniowym na tym komputerze, a nie z %1. Do prawdziwej pracy utwórz nowy profil.</translation>
    </message>
    <message>
        <source>The training marketplace runs on this computer: its address must be 127.0.0.1 or localhost, not %1.</source>
        <translation>Serwis szkoleniowy działa na tym komputerze: jego adres musi być 127.0.0.1 lub localhost, a nie %1.</translation>
    </message>
</context>
<context>
    <name>AllegroClient</name>
    <message>
        <source>The download was stopped.</source>
        <translation>Pobieranie zostało zatrzymane.</translation>
    </message>
    <message>
        <source>Allegro sent an answer that cannot be read.</source>
        <translation>Allegro przysłało odpowiedź, której nie da się odczytać.</translation>
    </message>
    <message>
        <source>Allegro did not return the invoice's id.</source>
        <translation>Allegro nie zwróciło identyfikatora faktury.</translation>
    </message>
    <message>
        <source>The offer could not be changed.</source>
        <translation>Nie udało się zmienić oferty.</translation>
    </message>
    <message>
        <source>Allegro is still processing an earlier change of offer %1; try again later.</source>
        <translation>Allegro wciąż przetwarza wcześniejszą zmianę oferty %1; spróbuj ponownie później.</translation>
    </message>
    <message>
        <source>Allegro accepted the offer change but did not say where to follow it.</source>
        <translation>Allegro przyjęło zmianę oferty, ale nie podało, gdzie sprawdzać jej postęp.</translation>
    </message>
    <message>
        <source>Allegro is taking too long to apply the change of offer %1.</source>
        <translation>Allegro zbyt długo wprowadza zmianę oferty %1.</translation>
    </message>
</context>
<context>
    <name>AllegroSync</name>
    <message>
        <source>The account %1 is not connected to Allegro. Connect it first.</source>
        <translation>Konto %1 nie jest połączone z Allegro. Najpierw je połącz.</translation>
    </message>
    <message>
        <source>No secret store is open, so the account's tokens cannot be read.</source>
        <translation>Nie otwarto magazynu sekretów, więc nie można odczytać tokenów konta.</translation>
    </message>
    <message>
        <source>Allegro: downloading orders (%1)…</source>
        <translation>Allegro: pobieranie zamówień (%1)…</translation>
    </message>
    <message>
        <source>Allegro (%1): %2 new, %3 updated orders.</source>
        <translation>Allegro (%1): nowe zamówienia: %2, zaktualizowane: %3.</translation>
    </message>
    <message>
        <source>Allegro (%1): download failed.</source>
        <translation>Allegro (%1): pobieranie nie powiodło się.</translation>
    </message>
</context>
<context>
    <name>CodeClassifier</name>
    <message>
        <source>A command barcode cannot be empty.</source>
        <translation>Kod polecenia nie może być pusty.</translation>
    </message>
    <message>
        <source>There is no rule %1.</source>
        <translation>Nie ma reguły %1.</translation>
    </message>
    <message>
        <source>The code %1 is already a %2; a command barcode must not open anything else.</source>
        <translation>Kod %1 to już %2; kod polecenia nie może otwierać niczego innego.</translation>
    </message>
</context>
<context>
    <name>CustomerReturns</name>
    <message>
        <source>The secret store with the marketplace tokens is not open; no return was downloaded.</source>
        <translation>Magazyn sekretów z tokenami serwisu nie jest otwarty; nie pobrano żadnego zwrotu.</translation>
    </message>
    <message>
        <source>A customer return without an id was left out.</source>
        <translation>Pominięto zwrot klienta bez identyfikatora.</translation>
    </message>
    <message>
        <source>The customer return %1 is for order %2, which has not been downloaded yet.</source>
        <translation>Zwrot klienta %1 dotyczy zamówienia %2, które nie zostało jeszcze pobrane.</translation>
    </message>
    <message>
        <source>The customer return %1 names offer %2, which order %3 does not have.</source>
        <translation>Zwrot klienta %1 wskazuje ofertę %2, której nie ma w zamówieniu %3.</translation>
    </message>
    <message>
        <source>Allegro customer return %1</source>
        <translation>Zwrot klienta Allegro %1</translation>
    </message>
    <message>
        <source>The customer return %1 was left out: %2</source>
        <translation>Pominięto zwrot klienta %1: %2</translation>
    </message>
</context>
<context>
    <name>FileSecretStore</name>
    <message>
        <source>The secret file %1 cannot be read.</source>
        <translation>Nie można odczytać pliku sekretów %1.</translation>
    </message>
    <message>
        <source>The file %1 is not a SellerDesk secret file.</source>
        <translation>Plik %1 nie jest plikiem sekretów SellerDesk.</translation>
    </message>
    <message>
        <source>The passphrase does not open the secret file %1 (wrong passphrase, or the file was changed).</source>
        <translation>Hasło nie otwiera pliku sekretów %1 (błędne hasło albo plik został zmieniony).</translation>
    </message>
    <message>
        <source>The secret file %1 cannot be written.</source>
        <translation>Nie można zapisać pliku sekretów %1.</translation>
    </message>
</context>
<context>
    <name>InventorySettings</name>
    <message>
        <source>The setting %1 takes on or off.</source>
        <translation>Ustawienie %1 przyjmuje wartość on lub off.</translation>
    </message>
    <message>
        <source>The setting %1 takes a whole number from %2 to %3.</source>
        <translation>Ustawienie %1 przyjmuje liczbę całkowitą od %2 do %3.</translation>
    </message>
    <message>
        <source>There is no stock setting %1; the settings are: %2.</source>
        <translation>Nie ma ustawienia magazynu %1; dostępne ustawienia: %2.</translation>
    </message>
    <message>
        <source>Stock sync is paused: automatic order download and automatic invoicing are both off.</source>
        <translation>Synchronizacja stanów jest wstrzymana: automatyczne pobieranie zamówień i automatyczne fakturowanie są wyłączone.</translation>
    </message>
    <message>
        <source>Stock sync is paused: automatic order download is off.</source>
        <translation>Synchronizacja stanów jest wstrzymana: automatyczne pobieranie zamówień jest wyłączone.</translation>
    </message>
    <message>
        <source>Stock sync is paused: automatic invoicing is off.</source>
        <translation>Synchronizacja stanów jest wstrzymana: automatyczne fakturowanie jest wyłączone.</translation>
    </message>
</context>
<context>
    <name>InventoryStore</name>
    <message>
        <source>A product needs a SKU.</source>
        <translation>Produkt musi mieć SKU.</translation>
    </message>
    <message>
        <source>A product needs a name.</source>
        <translation>Produkt musi mieć nazwę.</translation>
    </message>
    <message>
        <source>The EAN %1 is not valid: %2</source>
        <translation>EAN %1 jest nieprawidłowy: %2</translation>
    </message>
    <message>
        <source>The VAT rate is not valid.</source>
        <translation>Stawka VAT jest nieprawidłowa.</translation>
    </message>
    <message>
        <source>The purchase price cannot be negative.</source>
        <translation>Cena zakupu nie może być ujemna.</translation>
    </message>
    <message>
        <source>Weight and dimensions cannot be negative.</source>
        <translation>Waga i wymiary nie mogą być ujemne.</translation>
    </message>
    <message>
        <source>A product with the SKU %1 exists already.</source>
        <translation>Produkt o SKU %1 już istnieje.</translation>
    </message>
    <message>
        <source>The product could not be saved.</source>
        <translation>Nie udało się zapisać produktu.</translation>
    </message>
    <message>
        <source>There is no product with the SKU %1.</source>
        <translation>Nie ma produktu o SKU %1.</translation>
    </message>
    <message>
        <source>There is no product with the id %1.</source>
        <translation>Nie ma produktu o identyfikatorze %1.</translation>
    </message>
    <message>
        <source>A warehouse needs a code.</source>
        <translation>Magazyn musi mieć kod.</translation>
    </message>
    <message>
        <source>A warehouse with the code %1 exists already.</source>
        <translation>Magazyn o kodzie %1 już istnieje.</translation>
    </message>
    <message>
        <source>The warehouse could not be saved.</source>
        <translation>Nie udało się zapisać magazynu.</translation>
    </message>
    <message>
        <source>There is no warehouse with the code %1.</source>
        <translation>Nie ma magazynu o kodzie %1.</translation>
    </message>
    <message>
        <source>There is no warehouse yet; add one first (sellerdesk-cli warehouses add CODE NAME).</source>
        <translation>Nie ma jeszcze żadnego magazynu; najpierw go dodaj (sellerdesk-cli warehouses add KOD NAZWA).</translation>
    </message>
    <message>
        <source>No document number could be taken.</source>
        <translation>Nie udało się nadać numeru dokumentu.</translation>
    </message>
    <message>
        <source>A stock document needs at least one line.</source>
        <translation>Dokument magazynowy musi mieć co najmniej jedną pozycję.</translation>
    </message>
    <message>
        <source>A quantity must be a whole number above zero.</source>
        <translation>Ilość musi być liczbą całkowitą większą od zera.</translation>
    </message>
    <message>
        <source>A transfer needs two different warehouses.</source>
        <translation>Przesunięcie wymaga dwóch różnych magazynów.</translation>
    </message>
    <message>
        <source>The counted quantities equal the stock; there is nothing to correct.</source>
        <translation>Policzone ilości są równe stanowi; nie ma czego korygować.</translation>
    </message>
    <message>
        <source>Not enough stock of %1 in the warehouse %2: %3 in stock, %4 to take out. Nothing was written.</source>
        <translation>Za mało towaru %1 w magazynie %2: na stanie %3, do wydania %4. Niczego nie zapisano.</translation>
    </message>
    <message>
        <source>The stock document could not be saved.</source>
        <translation>Nie udało się zapisać dokumentu magazynowego.</translation>
    </message>
    <message>
        <source>A transfer needs the warehouse to move the stock to.</source>
        <translation>Przesunięcie wymaga magazynu docelowego.</translation>
    </message>
    <message>
        <source>There is no stock document with the id %1.</source>
        <translation>Nie ma dokumentu magazynowego o identyfikatorze %1.</translation>
    </message>
</context>
<context>
    <name>InvoiceStockGate</name>
    <message>
        <source>the stock could not be checked: %1</source>
        <translation>nie udało się sprawdzić stanu magazynowego: %1</translation>
    </message>
    <message>
        <source>no stock of %1; tagged to be invoiced by hand after restocking</source>
        <translation>brak na stanie: %1; oznaczono do ręcznego zafakturowania po uzupełnieniu stanu</translation>
    </message>
</context>
<context>
    <name>KsefClient</name>
    <message>
        <source>KSeF cannot be reached at %1 right now; the invoice waits in the queue.</source>
        <translation>KSeF pod adresem %1 jest teraz nieosiągalny; faktura czeka w kolejce.</translation>
    </message>
    <message>
        <source>KSeF refused the request: %1</source>
        <translation>KSeF odrzucił żądanie: %1</translation>
    </message>
    <message>
        <source>KSeF did not offer a valid public key certificate.</source>
        <translation>KSeF nie udostępnił ważnego certyfikatu klucza publicznego.</translation>
    </message>
    <message>
        <source>KSeF did not finish the authentication in time.</source>
        <translation>KSeF nie zakończył uwierzytelniania w wyznaczonym czasie.</translation>
    </message>
    <message>
        <source>KSeF did not accept the KSeF token (%1 %2). Check the token and the NIP in the KSeF settings.</source>
        <translation>KSeF nie przyjął tokenu KSeF (%1 %2). Sprawdź token i NIP w ustawieniach KSeF.</translation>
    </message>
</context>
<context>
    <name>KsefQueue</name>
    <message>
        <source>A document sent to KSeF needs a reference.</source>
        <translation>Dokument wysyłany do KSeF musi mieć identyfikator.</translation>
    </message>
    <message>
        <source>The invoice XML for %1 is empty.</source>
        <translation>Plik XML faktury %1 jest pusty.</translation>
    </message>
    <message>
        <source>The seller's NIP for KSeF is not set (sellerdesk-cli ksef settings --nip NIP).</source>
        <translation>Nie ustawiono NIP-u sprzedawcy dla KSeF (sellerdesk-cli ksef settings --nip NIP).</translation>
    </message>
    <message>
        <source>No KSeF token is stored (sellerdesk-cli ksef settings --token-stdin).</source>
        <translation>Nie zapisano tokenu KSeF (sellerdesk-cli ksef settings --token-stdin).</translation>
    </message>
    <message>
        <source>The KSeF send record is missing.</source>
        <translation>Brakuje zapisu o wysyłce do KSeF.</translation>
    </message>
    <message>
        <source>Another SellerDesk is sending this document to KSeF right now.</source>
        <translation>Inny SellerDesk właśnie wysyła ten dokument do KSeF.</translation>
    </message>
</context>
<context>
    <name>LossGuard</name>
    <message>
        <source>The profit would be %1 (the minimum is %2).</source>
        <translation>Zysk wyniósłby %1 (minimum to %2).</translation>
    </message>
    <message>
        <source>Order %1 was not moved to "%2": %3 An administrator must release it first.</source>
        <translation>Zamówienie %1 nie zostało przeniesione do „%2”: %3 Najpierw musi je zwolnić administrator.</translation>
    </message>
    <message>
        <source>loss guard</source>
        <translation>ochrona przed stratą</translation>
    </message>
    <message>
        <source>Order %1 was kept from "%2" by the loss guard: %3</source>
        <translation>Ochrona przed stratą zatrzymała zamówienie %1 przed statusem „%2”: %3</translation>
    </message>
    <message>
        <source>SellerDesk: order %1 held by the loss guard</source>
        <translation>SellerDesk: zamówienie %1 zatrzymane przez ochronę przed stratą</translation>
    </message>
    <message>
        <source>Release it in SellerDesk (order view, or: sellerdesk-cli profit release %1 --reason ...) once the order is checked.</source>
        <translation>Po sprawdzeniu zamówienia zwolnij je w SellerDesk (widok zamówienia albo: sellerdesk-cli profit release %1 --reason ...).</translation>
    </message>
    <message>
        <source>Say why the order may be completed (a reason is required).</source>
        <translation>Podaj, dlaczego zamówienie może zostać zakończone (powód jest wymagany).</translation>
    </message>
    <message>
        <source>A release must say who makes it.</source>
        <translation>Przy zwolnieniu trzeba podać, kto je wykonuje.</translation>
    </message>
    <message>
        <source>Order %1 is not held by the loss guard.</source>
        <translation>Zamówienie %1 nie jest zatrzymane przez ochronę przed stratą.</translation>
    </message>
</context>
<context>
    <name>OAuthClient</name>
    <message>
        <source>the device authorisation request</source>
        <translation>prośby o autoryzację urządzenia</translation>
    </message>
    <message>
        <source>Allegro's answer to the device authorisation request is incomplete.</source>
        <translation>Odpowiedź Allegro na prośbę o autoryzację urządzenia jest niepełna.</translation>
    </message>
    <message>
        <source>Allegro's token answer is incomplete.</source>
        <translation>Odpowiedź Allegro z tokenem jest niepełna.</translation>
    </message>
    <message>
        <source>The connection was refused in the browser.</source>
        <translation>Połączenie zostało odrzucone w przeglądarce.</translation>
    </message>
    <message>
        <source>The code expired or was already used. Start connecting the account again.</source>
        <translation>Kod wygasł albo został już użyty. Zacznij łączenie konta od nowa.</translation>
    </message>
    <message>
        <source>the device authorisation</source>
        <translation>autoryzacji urządzenia</translation>
    </message>
    <message>
        <source>The code expired before the connection was approved. Start connecting again.</source>
        <translation>Kod wygasł przed zatwierdzeniem połączenia. Zacznij łączenie od nowa.</translation>
    </message>
    <message>
        <source>Connecting the account was cancelled.</source>
        <translation>Łączenie konta zostało anulowane.</translation>
    </message>
    <message>
        <source>Allegro no longer accepts this account's session. Connect the account again.</source>
        <translation>Allegro nie akceptuje już sesji tego konta. Połącz konto ponownie.</translation>
    </message>
    <message>
        <source>renewing the session</source>
        <translation>odnowienia sesji</translation>
    </message>
</context>
<context>
    <name>OfferCatalog</name>
    <message>
        <source>The offer was archived on the marketplace; its stock sync was switched off.</source>
        <translation>Oferta została zarchiwizowana w serwisie; jej synchronizację stanów wyłączono.</translation>
    </message>
    <message>
        <source>There is no offer %1; refresh the offers of the account first.</source>
        <translation>Nie ma oferty %1; najpierw odśwież oferty konta.</translation>
    </message>
    <message>
        <source>The offer %1 belongs to the account %2, not to the account you work in; nothing was changed.</source>
        <translation>Oferta %1 należy do konta %2, a nie do konta, na którym pracujesz; niczego nie zmieniono.</translation>
    </message>
    <message>
        <source>Stock sync can be switched on only while automatic order download and automatic invoicing are on.</source>
        <translation>Synchronizację stanów można włączyć tylko przy włączonym automatycznym pobieraniu zamówień i automatycznym fakturowaniu.</translation>
    </message>
    <message>
        <source>Stock sync cannot be switched on for an auction.</source>
        <translation>Synchronizacji stanów nie można włączyć dla licytacji.</translation>
    </message>
    <message>
        <source>Stock sync cannot be switched on for an archived offer.</source>
        <translation>Synchronizacji stanów nie można włączyć dla oferty archiwalnej.</translation>
    </message>
    <message>
        <source>The offer is not linked to a product; link it first.</source>
        <translation>Oferta nie jest powiązana z produktem; najpierw ją powiąż.</translation>
    </message>
    <message>
        <source>Stock sync is on already.</source>
        <translation>Synchronizacja stanów jest już włączona.</translation>
    </message>
    <message>
        <source>Stock sync is on; automatic end and resume are off for the offers of %1.</source>
        <translation>Synchronizacja stanów włączona; automatyczne zamykanie i wznawianie ofert produktu %1 zostało wyłączone.</translation>
    </message>
    <message>
        <source>Stock sync is off already.</source>
        <translation>Synchronizacja stanów jest już wyłączona.</translation>
    </message>
    <message>
        <source>Stock sync is off.</source>
        <translation>Synchronizacja stanów wyłączona.</translation>
    </message>
</context>
<context>
    <name>PackingSession</name>
    <message>
        <source>Order %1 has no items to pack.</source>
        <translation>Zamówienie %1 nie ma pozycji do spakowania.</translation>
    </message>
    <message>
        <source>The scan was empty.</source>
        <translation>Skan był pusty.</translation>
    </message>
    <message>
        <source>Order %1 is packed already.</source>
        <translation>Zamówienie %1 jest już spakowane.</translation>
    </message>
    <message>
        <source>Packing of order %1 is not open.</source>
        <translation>Pakowanie zamówienia %1 nie jest otwarte.</translation>
    </message>
    <message>
        <source>Scan the serial number of %1, not a product code.</source>
        <translation>Zeskanuj numer seryjny produktu %1, a nie kod produktu.</translation>
    </message>
    <message>
        <source>The serial number %1 was scanned already.</source>
        <translation>Numer seryjny %1 został już zeskanowany.</translation>
    </message>
    <message>
        <source>%1: serial number %2 (%3 of %4).</source>
        <translation>%1: numer seryjny %2 (%3 z %4).</translation>
    </message>
    <message>
        <source>Wrong item: %1 is not in this order.</source>
        <translation>Zły towar: %1 nie należy do tego zamówienia.</translation>
    </message>
    <message numerus="yes">
        <source>Too many: all %n unit(s) of %1 are packed already.</source>
        <translation>
            <numerusform>Za dużo: %n sztuka produktu %1 jest już spakowana.</numerusform>
            <numerusform>Za dużo: wszystkie %n sztuki produktu %1 są już spakowane.</numerusform>
            <numerusform>Za dużo: wszystkie %n sztuk produktu %1 jest już spakowanych.</numerusform>
        </translation>
    </message>
    <message>
        <source>Now scan the serial number of %1.</source>
        <translation>Teraz zeskanuj numer seryjny produktu %1.</translation>
    </message>
    <message>
        <source>%1: %2 of %3.</source>
        <translation>%1: %2 z %3.</translation>
    </message>
    <message>
        <source>Order %1 is packed.</source>
        <translation>Zamówienie %1 jest spakowane.</translation>
    </message>
    <message>
        <source>Choose the status for an order with missing items.</source>
        <translation>Wybierz status dla zamówienia z brakującymi towarami.</translation>
    </message>
</context>
<context>
    <name>PickList</name>
    <message>
        <source>Location</source>
        <translation>Lokalizacja</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Sztuki</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Zamówienia</translation>
    </message>
    <message>
        <source>The pick list could not be drawn.</source>
        <translation>Nie udało się narysować listy kompletacyjnej.</translation>
    </message>
</context>
<context>
    <name>Profit</name>
    <message>
        <source>The order's total %1 is not its items, delivery and adjustments (%2).</source>
        <translation>Suma zamówienia %1 nie jest równa sumie pozycji, dostawy i korekt (%2).</translation>
    </message>
    <message>
        <source>The VAT of the order cannot be computed: %1</source>
        <translation>Nie można obliczyć VAT zamówienia: %1</translation>
    </message>
    <message>
        <source>No purchase price for "%1" (counted as 0).</source>
        <translation>Brak ceny zakupu dla „%1” (liczona jako 0).</translation>
    </message>
    <message>
        <source>The purchase price of "%1" is in %2, the order in %3.</source>
        <translation>Cena zakupu „%1” jest w %2, a zamówienie w %3.</translation>
    </message>
    <message>
        <source>Costs set in PLN (commission table, courier, payment fee, packaging) are left out of an order in %1.</source>
        <translation>Koszty ustawione w PLN (tabela prowizji, kurier, opłata za płatność, pakowanie) nie są liczone dla zamówienia w %1.</translation>
    </message>
    <message>
        <source>A billing entry (%1) is in %2, the order in %3.</source>
        <translation>Pozycja rozliczenia (%1) jest w %2, a zamówienie w %3.</translation>
    </message>
</context>
<context>
    <name>ProfitSection</name>
    <message>
        <source>Profit</source>
        <translation>Zysk</translation>
    </message>
    <message>
        <source>Revenue (gross)</source>
        <translation>Przychód (brutto)</translation>
    </message>
    <message>
        <source>VAT</source>
        <translation>VAT</translation>
    </message>
    <message>
        <source>Revenue (net)</source>
        <translation>Przychód (netto)</translation>
    </message>
    <message>
        <source>Purchase cost</source>
        <translation>Koszt zakupu</translation>
    </message>
    <message>
        <source>Marketplace fees (billing)</source>
        <translation>Opłaty serwisu (z rozliczenia)</translation>
    </message>
    <message>
        <source>Marketplace fees (commission table)</source>
        <translation>Opłaty serwisu (z tabeli prowizji)</translation>
    </message>
    <message>
        <source>Courier</source>
        <translation>Kurier</translation>
    </message>
    <message>
        <source>Payment fees</source>
        <translation>Opłaty za płatność</translation>
    </message>
    <message>
        <source>Packaging</source>
        <translation>Pakowanie</translation>
    </message>
    <message>
        <source>Held by the loss guard: it may not move to "%1" until an administrator releases it. %2</source>
        <translation>Zatrzymane przez ochronę przed stratą: nie może przejść do „%1”, dopóki administrator go nie zwolni. %2</translation>
    </message>
    <message>
        <source>Release…</source>
        <translation>Zwolnij…</translation>
    </message>
    <message>
        <source>Loss guard released by %1: %2</source>
        <translation>Ochronę przed stratą zwolnił(a) %1: %2</translation>
    </message>
    <message>
        <source>Release order %1</source>
        <translation>Zwolnij zamówienie %1</translation>
    </message>
    <message>
        <source>Why may this order be completed anyway? (recorded in its history)</source>
        <translation>Dlaczego to zamówienie może mimo to zostać zakończone? (zapisywane w historii)</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>documents</source>
        <translation>dokumenty</translation>
    </message>
</context>
<context>
    <name>Reservations</name>
    <message>
        <source>Order %1</source>
        <translation>Zamówienie %1</translation>
    </message>
    <message>
        <source>Invoice by hand</source>
        <translation>Faktura ręcznie</translation>
    </message>
    <message>
        <source>No stock of %1: the invoice is issued by hand after restocking.</source>
        <translation>Brak towaru %1 na stanie: fakturę należy wystawić ręcznie po uzupełnieniu stanu.</translation>
    </message>
</context>
<context>
    <name>ReturnService</name>
    <message>
        <source>Name at least one item to return (SKU and quantity).</source>
        <translation>Wskaż co najmniej jeden zwracany produkt (SKU i ilość).</translation>
    </message>
    <message>
        <source>The quantity of %1 must be at least 1, not %2.</source>
        <translation>Ilość %1 musi wynosić co najmniej 1, a nie %2.</translation>
    </message>
    <message>
        <source>Order %1 has no item %2.</source>
        <translation>Zamówienie %1 nie zawiera pozycji %2.</translation>
    </message>
    <message>
        <source>Only %1 of %2 can be returned: %3 were bought and %4 are in other returns.</source>
        <translation>Można zwrócić tylko %1 szt. %2: kupiono %3 szt., a %4 szt. są już w innych zwrotach.</translation>
    </message>
    <message>
        <source>Only %1 of %2 were bought; %3 cannot be returned.</source>
        <translation>Kupiono tylko %1 szt. %2; nie można zwrócić %3 szt.</translation>
    </message>
    <message>
        <source>Say why the items come back (a reason is required).</source>
        <translation>Podaj, dlaczego produkty wracają (powód jest wymagany).</translation>
    </message>
    <message>
        <source>The return term of order %1 (%2 days) ended on %3. A late return needs the reason it is accepted anyway.</source>
        <translation>Termin zwrotu zamówienia %1 (%2 dni) minął %3. Zwrot po terminie wymaga podania powodu, dla którego jest mimo to przyjmowany.</translation>
    </message>
    <message>
        <source>Cannot read the attachment %1: %2</source>
        <translation>Nie można odczytać załącznika %1: %2</translation>
    </message>
    <message>
        <source>The attachment %1 is larger than %2 MB.</source>
        <translation>Załącznik %1 jest większy niż %2 MB.</translation>
    </message>
    <message>
        <source>Return %1 is %2 already.</source>
        <translation>Zwrot %1 ma już stan „%2”.</translation>
    </message>
    <message>
        <source>Return %1 is %2: it is closed and cannot become %3.</source>
        <translation>Zwrot %1 ma stan „%2”: jest zamknięty i nie może przejść do stanu „%3”.</translation>
    </message>
    <message>
        <source>Return %1 is %2: it can become %3, not %4.</source>
        <translation>Zwrot %1 ma stan „%2”: może przejść do stanu: %3, ale nie „%4”.</translation>
    </message>
    <message>
        <source>A refund and a correction invoice belong to the step "%1".</source>
        <translation>Zwrot pieniędzy i faktura korygująca należą do kroku „%1”.</translation>
    </message>
    <message>
        <source>A warehouse is chosen when the items are received.</source>
        <translation>Magazyn wybiera się przy odbiorze produktów.</translation>
    </message>
    <message>
        <source>Return %1 was changed meanwhile (it is %2 now).</source>
        <translation>Zwrot %1 został w międzyczasie zmieniony (ma teraz stan „%2”).</translation>
    </message>
    <message>
        <source>Return %1 of order %2</source>
        <translation>Zwrot %1 do zamówienia %2</translation>
    </message>
    <message>
        <source>Order %1 does not come from Allegro: refund the buyer yourself and mark the return refunded without the marketplace refund.</source>
        <translation>Zamówienie %1 nie pochodzi z Allegro: zwróć pieniądze kupującemu samodzielnie i oznacz zwrot jako rozliczony bez zwrotu przez serwis.</translation>
    </message>
    <message>
        <source>The marketplace account of order %1 is not known.</source>
        <translation>Konto serwisu sprzedażowego zamówienia %1 jest nieznane.</translation>
    </message>
    <message>
        <source>The secret store with the marketplace tokens is not open; nothing was refunded.</source>
        <translation>Magazyn sekretów z tokenami serwisu nie jest otwarty; nie zwrócono żadnych pieniędzy.</translation>
    </message>
    <message>
        <source>None of the returned items is an Allegro line item.</source>
        <translation>Żaden ze zwracanych produktów nie jest pozycją zamówienia Allegro.</translation>
    </message>
    <message>
        <source>Order %1 has no invoice to correct.</source>
        <translation>Zamówienie %1 nie ma faktury do skorygowania.</translation>
    </message>
    <message>
        <source>Return %1: %2</source>
        <translation>Zwrot %1: %2</translation>
    </message>
    <message>
        <source>The invoice %1 has no line for %2.</source>
        <translation>Faktura %1 nie ma pozycji dla %2.</translation>
    </message>
</context>
<context>
    <name>ReturnSettings</name>
    <message>
        <source>The return term is a number of days from 1 to 3650, not "%1".</source>
        <translation>Termin zwrotu to liczba dni od 1 do 3650, a nie „%1”.</translation>
    </message>
    <message>
        <source>The return term is counted from "purchase" or "shipment", not "%1".</source>
        <translation>Termin zwrotu liczy się od „purchase” (zakupu) albo „shipment” (wysyłki), a nie od „%1”.</translation>
    </message>
    <message>
        <source>informBuyer is on or off, not "%1".</source>
        <translation>informBuyer przyjmuje wartość on albo off, a nie „%1”.</translation>
    </message>
    <message>
        <source>There is no return setting "%1" (termDays, termFrom, warehouse, informBuyer).</source>
        <translation>Nie ma ustawienia zwrotów „%1” (termDays, termFrom, warehouse, informBuyer).</translation>
    </message>
</context>
<context>
    <name>ReturnStockExecutor</name>
    <message>
        <source>No item of the order is a product in stock; nothing was returned.</source>
        <translation>Żadna pozycja zamówienia nie jest produktem magazynowym; niczego nie przyjęto z powrotem.</translation>
    </message>
    <message>
        <source>Return of order %1</source>
        <translation>Zwrot zamówienia %1</translation>
    </message>
    <message>
        <source>The items were returned already (%1).</source>
        <translation>Towar został już przyjęty z powrotem (%1).</translation>
    </message>
    <message>
        <source>Items returned to the warehouse %1 (%2).</source>
        <translation>Towar przyjęto z powrotem do magazynu %1 (%2).</translation>
    </message>
    <message>
        <source>The order's items had not left the warehouse: their reservation was released.</source>
        <translation>Towary zamówienia nie opuściły magazynu: ich rezerwacja została zwolniona.</translation>
    </message>
</context>
<context>
    <name>ReturnStore</name>
    <message>
        <source>There is no return %1.</source>
        <translation>Nie ma zwrotu %1.</translation>
    </message>
    <message>
        <source>There is no attachment %1.</source>
        <translation>Nie ma załącznika %1.</translation>
    </message>
</context>
<context>
    <name>SalesReport</name>
    <message>
        <source>The report needs a start date on or before its end date.</source>
        <translation>Raport wymaga daty początkowej nie późniejszej niż końcowa.</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Razem</translation>
    </message>
</context>
<context>
    <name>SellerActions</name>
    <message>
        <source>This action is being done by another workstation right now.</source>
        <translation>To działanie wykonuje właśnie inne stanowisko.</translation>
    </message>
    <message>
        <source>This order does not come from the Allegro account %1.</source>
        <translation>To zamówienie nie pochodzi z konta Allegro %1.</translation>
    </message>
    <message>
        <source>No offer command was sent for this action.</source>
        <translation>Dla tego działania nie wysłano polecenia zmiany ofert.</translation>
    </message>
    <message>
        <source>The order has no Allegro payment to refund.</source>
        <translation>Zamówienie nie ma płatności Allegro do zwrotu.</translation>
    </message>
    <message>
        <source>The command id %1 was already used for another change of offers; this change was not sent.</source>
        <translation>Identyfikator polecenia %1 został już użyty do innej zmiany ofert; tej zmiany nie wysłano.</translation>
    </message>
    <message>
        <source>The stock must be 0 or more.</source>
        <translation>Stan magazynowy musi wynosić co najmniej 0.</translation>
    </message>
    <message>
        <source>The offer's signature (external id) is longer than 100 characters.</source>
        <translation>Sygnatura oferty (external id) ma więcej niż 100 znaków.</translation>
    </message>
</context>
<context>
    <name>ServiceStore</name>
    <message numerus="yes">
        <source>Order %1 has %n lines: say which one is in service.</source>
        <translation>
            <numerusform>Zamówienie %1 ma %n pozycję: wskaż, która jest w serwisie.</numerusform>
            <numerusform>Zamówienie %1 ma %n pozycje: wskaż, która jest w serwisie.</numerusform>
            <numerusform>Zamówienie %1 ma %n pozycji: wskaż, która jest w serwisie.</numerusform>
        </translation>
    </message>
    <message>
        <source>Order %1 has no line %2.</source>
        <translation>Zamówienie %1 nie ma pozycji %2.</translation>
    </message>
    <message>
        <source>A service case needs the product's name (or an order line).</source>
        <translation>Zgłoszenie serwisowe wymaga nazwy produktu (lub pozycji zamówienia).</translation>
    </message>
    <message>
        <source>A service case without an order needs the buyer's name or contact.</source>
        <translation>Zgłoszenie serwisowe bez zamówienia wymaga nazwiska lub kontaktu kupującego.</translation>
    </message>
    <message>
        <source>"%1" is not an e-mail address.</source>
        <translation>„%1” nie jest adresem e-mail.</translation>
    </message>
    <message>
        <source>The buyer's language must be one of: %1.</source>
        <translation>Język kupującego musi być jednym z: %1.</translation>
    </message>
    <message>
        <source>The service case could not be saved.</source>
        <translation>Nie udało się zapisać zgłoszenia serwisowego.</translation>
    </message>
    <message>
        <source>There is no service case %1.</source>
        <translation>Nie ma zgłoszenia serwisowego %1.</translation>
    </message>
    <message>
        <source>There is no service state "%1" (known: %2).</source>
        <translation>Nie ma stanu zgłoszenia „%1” (znane: %2).</translation>
    </message>
    <message>
        <source>Service case %1 is closed (%2).</source>
        <translation>Zgłoszenie serwisowe %1 jest zamknięte (%2).</translation>
    </message>
    <message>
        <source>Service case %1 cannot go from "%2" to "%3"; next: %4.</source>
        <translation>Zgłoszenie serwisowe %1 nie może przejść ze stanu „%2” do „%3”; następne: %4.</translation>
    </message>
    <message>
        <source>Service case %1 was changed meanwhile; try again.</source>
        <translation>Zgłoszenie serwisowe %1 zostało w międzyczasie zmienione; spróbuj ponownie.</translation>
    </message>
</context>
<context>
    <name>ShippingFormula</name>
    <message>
        <source>The weight and the value may not be negative and the quantity must be at least 1.</source>
        <translation>Waga i wartość nie mogą być ujemne, a ilość musi wynosić co najmniej 1.</translation>
    </message>
    <message>
        <source>Collected in person: no shipping charge.</source>
        <translation>Odbiór osobisty: bez opłaty za wysyłkę.</translation>
    </message>
    <message>
        <source>Base: %1</source>
        <translation>Stawka podstawowa: %1</translation>
    </message>
    <message numerus="yes">
        <source>Weight: %n started kg × %1 = %2</source>
        <translation>
            <numerusform>Waga: %n rozpoczęty kg × %1 = %2</numerusform>
            <numerusform>Waga: %n rozpoczęte kg × %1 = %2</numerusform>
            <numerusform>Waga: %n rozpoczętych kg × %1 = %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Quantity: %n more item(s) × %1 = %2</source>
        <translation>
            <numerusform>Ilość: %n dodatkowa sztuka × %1 = %2</numerusform>
            <numerusform>Ilość: %n dodatkowe sztuki × %1 = %2</numerusform>
            <numerusform>Ilość: %n dodatkowych sztuk × %1 = %2</numerusform>
        </translation>
    </message>
    <message>
        <source>Zone %1: %2</source>
        <translation>Strefa %1: %2</translation>
    </message>
    <message>
        <source>Free shipping from %1 (the goods are worth %2): %3 waived.</source>
        <translation>Darmowa wysyłka od %1 (towar jest wart %2): odliczono %3.</translation>
    </message>
    <message>
        <source>Cash on delivery: %1</source>
        <translation>Pobranie: %1</translation>
    </message>
    <message>
        <source>Total: %1</source>
        <translation>Razem: %1</translation>
    </message>
    <message>
        <source>The shipping formula holds a negative amount.</source>
        <translation>Formuła kosztu wysyłki zawiera ujemną kwotę.</translation>
    </message>
    <message>
        <source>A zone is a two-letter country code or * for the rest of the world, not "%1".</source>
        <translation>Strefa to dwuliterowy kod kraju albo * dla reszty świata, a nie „%1”.</translation>
    </message>
    <message>
        <source>There is no shipping setting "%1".</source>
        <translation>Nie ma ustawienia wysyłki „%1”.</translation>
    </message>
</context>
<context>
    <name>StockSync</name>
    <message numerus="yes">
        <source>Stock sync waits for the operator: the held list of %n offer(s) must be released or dismissed.</source>
        <translation>
            <numerusform>Synchronizacja stanów czeka na operatora: wstrzymaną listę %n oferty trzeba zatwierdzić albo odrzucić.</numerusform>
            <numerusform>Synchronizacja stanów czeka na operatora: wstrzymaną listę %n ofert trzeba zatwierdzić albo odrzucić.</numerusform>
            <numerusform>Synchronizacja stanów czeka na operatora: wstrzymaną listę %n ofert trzeba zatwierdzić albo odrzucić.</numerusform>
        </translation>
    </message>
    <message>
        <source>Every synced offer shows the stock already.</source>
        <translation>Wszystkie synchronizowane oferty pokazują już aktualny stan.</translation>
    </message>
    <message>
        <source>This sync would end %1 offer(s) within %2 s (the limit is %3).</source>
        <translation>Ta synchronizacja zakończyłaby ofert: %1 w ciągu %2 s (limit: %3).</translation>
    </message>
    <message>
        <source>This sync would cut the synced offers' quantity by %1% (the limit is %2%).</source>
        <translation>Ta synchronizacja zmniejszyłaby ilość w synchronizowanych ofertach o %1% (limit: %2%).</translation>
    </message>
    <message>
        <source>Nothing was sent; check the list and release or dismiss it.</source>
        <translation>Niczego nie wysłano; sprawdź listę i zatwierdź ją albo odrzuć.</translation>
    </message>
    <message>
        <source>The stock sync could not be recorded.</source>
        <translation>Nie udało się zapisać synchronizacji stanów.</translation>
    </message>
    <message numerus="yes">
        <source>%n offer(s) brought in line with the stock.</source>
        <translation>
            <numerusform>%n oferta zgodna ze stanem magazynowym.</numerusform>
            <numerusform>%n oferty zgodne ze stanem magazynowym.</numerusform>
            <numerusform>%n ofert zgodnych ze stanem magazynowym.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n offer(s) failed and will be tried again.</source>
        <translation>
            <numerusform>%n oferta z błędem; zostanie ponowiona.</numerusform>
            <numerusform>%n oferty z błędem; zostaną ponowione.</numerusform>
            <numerusform>%n ofert z błędem; zostaną ponowione.</numerusform>
        </translation>
    </message>
    <message>
        <source>No stock sync is waiting for the operator.</source>
        <translation>Żadna synchronizacja stanów nie czeka na operatora.</translation>
    </message>
    <message>
        <source>Released by %1.</source>
        <translation>Zatwierdzone przez %1.</translation>
    </message>
    <message>
        <source>Dismissed by %1.</source>
        <translation>Odrzucone przez %1.</translation>
    </message>
    <message>
        <source>Stock sync is off for the offer %1.</source>
        <translation>Synchronizacja stanów oferty %1 jest wyłączona.</translation>
    </message>
    <message>
        <source>The offer %1 is not linked to a product.</source>
        <translation>Oferta %1 nie jest powiązana z produktem.</translation>
    </message>
    <message>
        <source>The marketplace's quantity of the offer %1 is not known.</source>
        <translation>Ilość oferty %1 w serwisie nie jest znana.</translation>
    </message>
    <message>
        <source>The stock of %1 cannot be corrected in the warehouse %2 alone; correct it by hand.</source>
        <translation>Stanu %1 nie da się skorygować w samym magazynie %2; skoryguj go ręcznie.</translation>
    </message>
</context>
<context>
    <name>StockSyncJob</name>
    <message>
        <source>No marketplace account is connected: no offer to sync.</source>
        <translation>Żadne konto serwisu nie jest połączone: nie ma ofert do synchronizacji.</translation>
    </message>
    <message>
        <source>The secret store with the marketplace tokens is not open yet; the stock sync waits for it.</source>
        <translation>Magazyn sekretów z tokenami serwisu nie jest jeszcze otwarty; synchronizacja stanów na niego czeka.</translation>
    </message>
</context>
<context>
    <name>TokenKeeper</name>
    <message>
        <source>The marketplace account no longer exists.</source>
        <translation>Konto w serwisie już nie istnieje.</translation>
    </message>
    <message>
        <source>The account is not connected. Connect it to Allegro first.</source>
        <translation>Konto nie jest połączone. Najpierw połącz je z Allegro.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>SellerDesk: orders, documents and shipping for online sellers</source>
        <translation>SellerDesk: zamówienia, dokumenty i wysyłka dla sprzedawców internetowych</translation>
    </message>
    <message>
        <source>Use the profile in &lt;dir&gt;.</source>
        <translation>Użyj profilu w folderze &lt;dir&gt;.</translation>
    </message>
    <message>
        <source>Use the shared PostgreSQL database at &lt;url&gt;.</source>
        <translation>Użyj wspólnej bazy PostgreSQL pod adresem &lt;url&gt;.</translation>
    </message>
    <message>
        <source>Interface language: pl or en.</source>
        <translation>Język interfejsu: pl lub en.</translation>
    </message>
    <message>
        <source>SellerDesk</source>
        <translation>SellerDesk</translation>
    </message>
    <message>
        <source>Run the automation and the marketplace download without a window (a server); stop with SIGTERM.</source>
        <translation>Uruchom automatyzację i pobieranie zamówień z platform bez okna (serwer); zatrzymaj sygnałem SIGTERM.</translation>
    </message>
    <message>
        <source>With --headless: write the log to &lt;file&gt;.</source>
        <translation>Z --headless: zapisuj dziennik do &lt;pliku&gt;.</translation>
    </message>
    <message>
        <source>Open a page at start: statuses, new-order, shortcuts, order (the newest order in its own window), order-items, order-automation, order-receipt-label, rules, rule-editor, rule-test, rule-versions, rule-templates, execution-log, printers, print-queue, documents, document-settings, ksef-settings, exchange-rates, products, warehouses, stock-documents, offers, stock-sync, packing (the packing station), scanner-settings, pick-list, profit-settings, reports, returns, register-return (a return of the newest order), service (the service cases), messaging-settings, templates, messages, first-run (first-run:company, :shop, :printers or :rules at that page), login, users, database-connection or help.</source>
        <translation>Otwórz stronę przy starcie: statuses, new-order, shortcuts, order (najnowsze zamówienie we własnym oknie), order-items (okno zamówienia przy pozycjach i ich stanach), order-automation, order-receipt-label, rules, rule-editor, rule-test, rule-versions, rule-templates, execution-log, printers, print-queue, documents, document-settings, ksef-settings, exchange-rates, products, warehouses, stock-documents, offers, stock-sync, packing (stanowisko pakowania), scanner-settings, pick-list, profit-settings, reports, returns, register-return (zwrot najnowszego zamówienia), service (zgłoszenia serwisowe), messaging-settings, templates, messages, first-run (first-run:company, :shop, :printers lub :rules otwiera tę stronę), login, users, database-connection lub help.</translation>
    </message>
</context>
<context>
    <name>sd::access</name>
    <message>
        <source>The database %1 cannot be opened.</source>
        <translation>Nie można otworzyć bazy danych %1.</translation>
    </message>
    <message>
        <source>The backup to %1 cannot start.</source>
        <translation>Nie można rozpocząć kopii zapasowej do %1.</translation>
    </message>
    <message>
        <source>The backup to %1 failed.</source>
        <translation>Kopia zapasowa do %1 nie powiodła się.</translation>
    </message>
    <message>
        <source>There is no database at %1.</source>
        <translation>W %1 nie ma bazy danych.</translation>
    </message>
    <message>
        <source>The backup cannot overwrite the database itself.</source>
        <translation>Kopia zapasowa nie może zastąpić samej bazy danych.</translation>
    </message>
    <message>
        <source>The backup file %1 cannot be written.</source>
        <translation>Nie można zapisać pliku kopii zapasowej %1.</translation>
    </message>
    <message>
        <source>There is no backup file %1.</source>
        <translation>Nie ma pliku kopii zapasowej %1.</translation>
    </message>
    <message>
        <source>The backup %1 is damaged; it was not restored.</source>
        <translation>Kopia zapasowa %1 jest uszkodzona; nie została przywrócona.</translation>
    </message>
    <message>
        <source>%1 is not a SellerDesk backup; nothing was restored.</source>
        <translation>%1 nie jest kopią zapasową SellerDesk; niczego nie przywrócono.</translation>
    </message>
    <message>
        <source>The folder of %1 cannot be created.</source>
        <translation>Nie można utworzyć folderu dla %1.</translation>
    </message>
    <message>
        <source>Edit automation rules</source>
        <translation>Edytowanie reguł automatyzacji</translation>
    </message>
    <message>
        <source>Refund payments</source>
        <translation>Zwroty płatności</translation>
    </message>
    <message>
        <source>Issue corrections</source>
        <translation>Wystawianie korekt</translation>
    </message>
    <message>
        <source>Issue documents</source>
        <translation>Wystawianie dokumentów</translation>
    </message>
    <message>
        <source>See profit</source>
        <translation>Podgląd zysku</translation>
    </message>
    <message>
        <source>Manage users and roles</source>
        <translation>Zarządzanie użytkownikami i rolami</translation>
    </message>
    <message>
        <source>Manage settings and accounts</source>
        <translation>Zarządzanie ustawieniami i kontami</translation>
    </message>
    <message>
        <source>Change order status</source>
        <translation>Zmiana statusu zamówień</translation>
    </message>
    <message>
        <source>Pack orders</source>
        <translation>Pakowanie zamówień</translation>
    </message>
    <message>
        <source>Packer</source>
        <translation>Pakowacz</translation>
    </message>
    <message>
        <source>Office</source>
        <translation>Biuro</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>Database %1</source>
        <translation>Baza danych %1</translation>
    </message>
    <message>
        <source>not reachable</source>
        <translation>niedostępna</translation>
    </message>
    <message>
        <source>schema %1, expected %2</source>
        <translation>schemat %1, oczekiwano %2</translation>
    </message>
    <message>
        <source>schema %1</source>
        <translation>schemat %1</translation>
    </message>
    <message>
        <source>Database integrity</source>
        <translation>Spójność bazy danych</translation>
    </message>
    <message>
        <source>the check could not run</source>
        <translation>nie udało się przeprowadzić sprawdzenia</translation>
    </message>
    <message>
        <source>damaged: %1</source>
        <translation>uszkodzona: %1</translation>
    </message>
    <message>
        <source>Keychain</source>
        <translation>Pęk kluczy</translation>
    </message>
    <message>
        <source>a value written could not be read back</source>
        <translation>zapisanej wartości nie udało się odczytać</translation>
    </message>
    <message>
        <source>system keychain</source>
        <translation>systemowy pęk kluczy</translation>
    </message>
    <message>
        <source>encrypted file</source>
        <translation>zaszyfrowany plik</translation>
    </message>
    <message>
        <source>Printer: %1</source>
        <translation>Drukarka: %1</translation>
    </message>
    <message>
        <source>not set up</source>
        <translation>nieskonfigurowana</translation>
    </message>
    <message>
        <source>not reachable: %1</source>
        <translation>niedostępna: %1</translation>
    </message>
    <message>
        <source>CUPS does not know the queue %1 or is not running</source>
        <translation>CUPS nie zna kolejki %1 albo nie działa</translation>
    </message>
    <message>
        <source>the folder %1 cannot be written</source>
        <translation>nie można zapisywać w folderze %1</translation>
    </message>
    <message>
        <source>Marketplace accounts</source>
        <translation>Konta sprzedażowe</translation>
    </message>
    <message>
        <source>Marketplace account %1</source>
        <translation>Konto sprzedażowe %1</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>niepołączone</translation>
    </message>
    <message>
        <source>the keychain is not usable, so its tokens cannot be read</source>
        <translation>pęk kluczy jest niedostępny, więc nie można odczytać tokenów</translation>
    </message>
    <message>
        <source>no token stored; connect the account again</source>
        <translation>brak zapisanego tokenu; połącz konto ponownie</translation>
    </message>
    <message>
        <source>the token expired and cannot be refreshed; connect the account again</source>
        <translation>token wygasł i nie można go odświeżyć; połącz konto ponownie</translation>
    </message>
    <message>
        <source>token expired, will be refreshed</source>
        <translation>token wygasł, zostanie odświeżony</translation>
    </message>
    <message>
        <source>token valid</source>
        <translation>token ważny</translation>
    </message>
    <message>
        <source>Not allowed: %1 may not %2 (role %3).</source>
        <translation>Brak uprawnień: %1 nie ma prawa do czynności „%2” (rola %3).</translation>
    </message>
    <message>
        <source>There is no user %1.</source>
        <translation>Nie ma użytkownika %1.</translation>
    </message>
    <message>
        <source>A password needs at least 6 characters.</source>
        <translation>Hasło musi mieć co najmniej 6 znaków.</translation>
    </message>
    <message>
        <source>A user name must be 1 to 64 characters without "@".</source>
        <translation>Nazwa użytkownika musi mieć od 1 do 64 znaków i nie może zawierać „@”.</translation>
    </message>
    <message>
        <source>The first user must be an administrator, or nobody could manage users afterwards.</source>
        <translation>Pierwszy użytkownik musi być administratorem, inaczej nikt nie mógłby potem zarządzać użytkownikami.</translation>
    </message>
    <message>
        <source>The password could not be hashed.</source>
        <translation>Nie udało się zabezpieczyć hasła.</translation>
    </message>
    <message>
        <source>There is already a user %1.</source>
        <translation>Użytkownik %1 już istnieje.</translation>
    </message>
    <message>
        <source>There is no role %1.</source>
        <translation>Nie ma roli %1.</translation>
    </message>
    <message>
        <source>A role name must be 1 to 64 characters.</source>
        <translation>Nazwa roli musi mieć od 1 do 64 znaków.</translation>
    </message>
    <message>
        <source>There is already a role %1.</source>
        <translation>Rola %1 już istnieje.</translation>
    </message>
    <message>
        <source>The user %1 is switched off.</source>
        <translation>Użytkownik %1 jest wyłączony.</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Błędna nazwa użytkownika lub hasło.</translation>
    </message>
</context>
<context>
    <name>sd::allegro</name>
    <message>
        <source>No secret store is open for the tokens.</source>
        <translation>Nie otwarto magazynu sekretów na tokeny.</translation>
    </message>
    <message>
        <source>Connecting was not started.</source>
        <translation>Łączenie nie zostało rozpoczęte.</translation>
    </message>
    <message>
        <source>Allegro refused %1: the data was not accepted.</source>
        <translation>Allegro odrzuciło %1: dane nie zostały przyjęte.</translation>
    </message>
    <message>
        <source>Allegro refused %1: the account is not authorised. Connect the account again.</source>
        <translation>Allegro odrzuciło %1: konto nie ma uprawnień. Połącz konto ponownie.</translation>
    </message>
    <message>
        <source>Allegro does not know %1.</source>
        <translation>Allegro nie zna: %1.</translation>
    </message>
    <message>
        <source>Allegro refused %1: it conflicts with a change made meanwhile or done before.</source>
        <translation>Allegro odrzuciło %1: koliduje ze zmianą wprowadzoną w międzyczasie lub wykonaną wcześniej.</translation>
    </message>
    <message>
        <source>Allegro is limiting requests; %1 will be tried again later.</source>
        <translation>Allegro ogranicza liczbę zapytań; %1 zostanie ponowione później.</translation>
    </message>
    <message>
        <source>Allegro did not answer %1 (no connection or timeout).</source>
        <translation>Allegro nie odpowiedziało na %1 (brak połączenia lub przekroczony czas).</translation>
    </message>
    <message>
        <source>Allegro failed to handle %1 (HTTP %2).</source>
        <translation>Allegro nie obsłużyło %1 (HTTP %2).</translation>
    </message>
</context>
<context>
    <name>sd::automation::Catalog</name>
    <message>
        <source>Sales channel</source>
        <translation>Kanał sprzedaży</translation>
    </message>
    <message>
        <source>Marketplace account</source>
        <translation>Konto w serwisie</translation>
    </message>
    <message>
        <source>Order status</source>
        <translation>Status zamówienia</translation>
    </message>
    <message>
        <source>Marketplace status</source>
        <translation>Status w serwisie</translation>
    </message>
    <message>
        <source>Shipment status</source>
        <translation>Status przesyłki</translation>
    </message>
    <message>
        <source>Payment status</source>
        <translation>Status płatności</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>Sposób płatności</translation>
    </message>
    <message>
        <source>Wants an invoice</source>
        <translation>Chce fakturę</translation>
    </message>
    <message>
        <source>NIP given</source>
        <translation>Podano NIP</translation>
    </message>
    <message>
        <source>Delivery country</source>
        <translation>Kraj dostawy</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Waluta</translation>
    </message>
    <message>
        <source>Buyer's comment</source>
        <translation>Komentarz kupującego</translation>
    </message>
    <message>
        <source>Buyer's login</source>
        <translation>Login kupującego</translation>
    </message>
    <message>
        <source>Buyer's e-mail</source>
        <translation>E-mail kupującego</translation>
    </message>
    <message>
        <source>Number of line items</source>
        <translation>Liczba pozycji</translation>
    </message>
    <message>
        <source>Number of pieces</source>
        <translation>Liczba sztuk</translation>
    </message>
    <message>
        <source>Order total</source>
        <translation>Wartość zamówienia</translation>
    </message>
    <message>
        <source>Delivery method</source>
        <translation>Sposób dostawy</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tagi</translation>
    </message>
    <message>
        <source>Days since the order</source>
        <translation>Dni od zamówienia</translation>
    </message>
    <message>
        <source>Hours since payment</source>
        <translation>Godziny od wpłaty</translation>
    </message>
    <message>
        <source>Line: SKU</source>
        <translation>Pozycja: SKU</translation>
    </message>
    <message>
        <source>Line: EAN</source>
        <translation>Pozycja: EAN</translation>
    </message>
    <message>
        <source>Line: offer</source>
        <translation>Pozycja: oferta</translation>
    </message>
    <message>
        <source>Line: product name</source>
        <translation>Pozycja: nazwa produktu</translation>
    </message>
    <message>
        <source>Line: quantity</source>
        <translation>Pozycja: ilość</translation>
    </message>
    <message>
        <source>Line: unit price</source>
        <translation>Pozycja: cena jednostkowa</translation>
    </message>
    <message>
        <source>is</source>
        <translation>jest</translation>
    </message>
    <message>
        <source>is not</source>
        <translation>nie jest</translation>
    </message>
    <message>
        <source>is one of</source>
        <translation>jest jednym z</translation>
    </message>
    <message>
        <source>is none of</source>
        <translation>nie jest żadnym z</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>zawiera</translation>
    </message>
    <message>
        <source>does not contain</source>
        <translation>nie zawiera</translation>
    </message>
    <message>
        <source>starts with</source>
        <translation>zaczyna się od</translation>
    </message>
    <message>
        <source>matches the pattern</source>
        <translation>pasuje do wzorca</translation>
    </message>
    <message>
        <source>is empty</source>
        <translation>jest puste</translation>
    </message>
    <message>
        <source>is not empty</source>
        <translation>nie jest puste</translation>
    </message>
    <message>
        <source>is less than</source>
        <translation>jest mniejsze niż</translation>
    </message>
    <message>
        <source>is at most</source>
        <translation>jest najwyżej</translation>
    </message>
    <message>
        <source>is more than</source>
        <translation>jest większe niż</translation>
    </message>
    <message>
        <source>is at least</source>
        <translation>jest co najmniej</translation>
    </message>
    <message>
        <source>is between</source>
        <translation>jest między</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>tak</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>has</source>
        <translation>ma</translation>
    </message>
    <message>
        <source>does not have</source>
        <translation>nie ma</translation>
    </message>
    <message>
        <source>has any of</source>
        <translation>ma którykolwiek z</translation>
    </message>
    <message>
        <source>has all of</source>
        <translation>ma wszystkie z</translation>
    </message>
    <message>
        <source>From status</source>
        <translation>Ze statusu</translation>
    </message>
    <message>
        <source>To status</source>
        <translation>Na status</translation>
    </message>
    <message>
        <source>Order downloaded</source>
        <translation>Pobrano zamówienie</translation>
    </message>
    <message>
        <source>Status changed</source>
        <translation>Zmieniono status</translation>
    </message>
    <message>
        <source>Payment status changed</source>
        <translation>Zmieniono status płatności</translation>
    </message>
    <message>
        <source>New payment status</source>
        <translation>Nowy status płatności</translation>
    </message>
    <message>
        <source>Cancelled by the buyer</source>
        <translation>Anulowane przez kupującego</translation>
    </message>
    <message>
        <source>Delivery form changed</source>
        <translation>Zmieniono formularz dostawy</translation>
    </message>
    <message>
        <source>Run by hand (button or scanned barcode)</source>
        <translation>Uruchomienie ręczne (przycisk lub zeskanowany kod)</translation>
    </message>
    <message>
        <source>Time after an event</source>
        <translation>Czas po zdarzeniu</translation>
    </message>
    <message>
        <source>Counted from</source>
        <translation>Liczone od</translation>
    </message>
    <message>
        <source>In a status for a time</source>
        <translation>W statusie przez określony czas</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Document issued</source>
        <translation>Wystawiono dokument</translation>
    </message>
    <message>
        <source>Document failed</source>
        <translation>Błąd dokumentu</translation>
    </message>
    <message>
        <source>KSeF accepted the invoice</source>
        <translation>KSeF przyjął fakturę</translation>
    </message>
    <message>
        <source>KSeF rejected the invoice</source>
        <translation>KSeF odrzucił fakturę</translation>
    </message>
    <message>
        <source>Label generated</source>
        <translation>Wygenerowano etykietę</translation>
    </message>
    <message>
        <source>Shipment status changed</source>
        <translation>Zmieniono status przesyłki</translation>
    </message>
    <message>
        <source>New shipment status</source>
        <translation>Nowy status przesyłki</translation>
    </message>
    <message>
        <source>Buyer message received</source>
        <translation>Otrzymano wiadomość od kupującego</translation>
    </message>
    <message>
        <source>Order packed</source>
        <translation>Zamówienie spakowane</translation>
    </message>
    <message>
        <source>Stock changed</source>
        <translation>Zmieniono stan magazynowy</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Set status</source>
        <translation>Ustaw status</translation>
    </message>
    <message>
        <source>Inform the customer</source>
        <translation>Powiadom klienta</translation>
    </message>
    <message>
        <source>Add tag</source>
        <translation>Dodaj tag</translation>
    </message>
    <message>
        <source>Remove tag</source>
        <translation>Usuń tag</translation>
    </message>
    <message>
        <source>Call a URL</source>
        <translation>Wywołaj adres URL</translation>
    </message>
    <message>
        <source>Address (with placeholders)</source>
        <translation>Adres (z polami do wstawienia)</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Metoda</translation>
    </message>
    <message>
        <source>Timeout (seconds)</source>
        <translation>Limit czasu (sekundy)</translation>
    </message>
    <message>
        <source>Run another rule</source>
        <translation>Uruchom inną regułę</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Reguła</translation>
    </message>
    <message>
        <source>Notify the operator</source>
        <translation>Powiadom operatora</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Wiadomość</translation>
    </message>
    <message>
        <source>Issue an invoice</source>
        <translation>Wystaw fakturę</translation>
    </message>
    <message>
        <source>Numbering series</source>
        <translation>Seria numeracji</translation>
    </message>
    <message>
        <source>Print a fiscal receipt</source>
        <translation>Wydrukuj paragon fiskalny</translation>
    </message>
    <message>
        <source>Issue a correction</source>
        <translation>Wystaw korektę</translation>
    </message>
    <message>
        <source>Send an e-mail</source>
        <translation>Wyślij e-mail</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>Szablon</translation>
    </message>
    <message>
        <source>Send an SMS</source>
        <translation>Wyślij SMS</translation>
    </message>
    <message>
        <source>Generate a shipping label</source>
        <translation>Wygeneruj etykietę wysyłkową</translation>
    </message>
    <message>
        <source>Print the shipping label</source>
        <translation>Wydrukuj etykietę wysyłkową</translation>
    </message>
    <message>
        <source>Mark shipped and upload tracking</source>
        <translation>Oznacz jako wysłane i prześlij numer przesyłki</translation>
    </message>
    <message>
        <source>Refund the payment</source>
        <translation>Zwróć płatność</translation>
    </message>
    <message>
        <source>File a commission refund claim</source>
        <translation>Złóż wniosek o zwrot prowizji</translation>
    </message>
    <message>
        <source>Return stock to the warehouse</source>
        <translation>Zwróć towar do magazynu</translation>
    </message>
    <message>
        <source>Reply to the buyer's message</source>
        <translation>Odpowiedz na wiadomość kupującego</translation>
    </message>
    <message>
        <source>text</source>
        <translation>tekst</translation>
    </message>
    <message>
        <source>choice</source>
        <translation>wybór</translation>
    </message>
    <message>
        <source>number</source>
        <translation>liczba</translation>
    </message>
    <message>
        <source>amount</source>
        <translation>kwota</translation>
    </message>
    <message>
        <source>yes/no</source>
        <translation>tak/nie</translation>
    </message>
    <message>
        <source>tags</source>
        <translation>tagi</translation>
    </message>
    <message>
        <source>A rule's action failed for good</source>
        <translation>Akcja reguły ostatecznie się nie powiodła</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <source>Which messages</source>
        <translation>Na które wiadomości</translation>
    </message>
    <message>
        <source>Days since the last status change</source>
        <translation>Dni od ostatniej zmiany statusu</translation>
    </message>
    <message>
        <source>Hours since the last status change</source>
        <translation>Godziny od ostatniej zmiany statusu</translation>
    </message>
    <message>
        <source>Days since shipment</source>
        <translation>Dni od wysyłki</translation>
    </message>
    <message>
        <source>Hours since shipment</source>
        <translation>Godziny od wysyłki</translation>
    </message>
    <message>
        <source>Courier</source>
        <translation>Kurier</translation>
    </message>
    <message>
        <source>Label format</source>
        <translation>Format etykiety</translation>
    </message>
    <message>
        <source>Generate a label, mark shipped and upload tracking</source>
        <translation>Utwórz etykietę, oznacz jako wysłane i prześlij numer przesyłki</translation>
    </message>
    <message>
        <source>Warehouse code (empty: the default)</source>
        <translation>Kod magazynu (pusty: domyślny)</translation>
    </message>
    <message>
        <source>Time after</source>
        <translation>Czas po</translation>
    </message>
    <message>
        <source>Time in the status</source>
        <translation>Czas w statusie</translation>
    </message>
    <message>
        <source>Line: stock of the product</source>
        <translation>Pozycja: stan magazynowy produktu</translation>
    </message>
    <message>
        <source>Invoice issued offline (KSeF unreachable)</source>
        <translation>Faktura wystawiona offline (KSeF nieosiągalny)</translation>
    </message>
    <message>
        <source>Message type</source>
        <translation>Rodzaj wiadomości</translation>
    </message>
    <message>
        <source>Marketplace account (empty: any)</source>
        <translation>Konto marketplace (puste: dowolne)</translation>
    </message>
    <message>
        <source>Generate the transport slip and warranty card</source>
        <translation>Utwórz list przewozowy i kartę gwarancyjną</translation>
    </message>
    <message>
        <source>Print the invoice on the document printer</source>
        <translation>Wydrukuj fakturę na drukarce dokumentów</translation>
    </message>
    <message>
        <source>Return registered</source>
        <translation>Zwrot zarejestrowany</translation>
    </message>
    <message>
        <source>Return state changed</source>
        <translation>Zmiana stanu zwrotu</translation>
    </message>
    <message>
        <source>New return state</source>
        <translation>Nowy stan zwrotu</translation>
    </message>
    <message>
        <source>Service case changed (warranty repair)</source>
        <translation>Zmiana zgłoszenia serwisowego (naprawa gwarancyjna)</translation>
    </message>
    <message>
        <source>New service state</source>
        <translation>Nowy stan zgłoszenia serwisowego</translation>
    </message>
</context>
<context>
    <name>sd::automation::Dispatcher</name>
    <message>
        <source>Rule %1 (%2) does not run by hand: its trigger is not "Run by hand".</source>
        <translation>Reguły %1 (%2) nie uruchamia się ręcznie: jej wyzwalaczem nie jest „Uruchomienie ręczne”.</translation>
    </message>
    <message>
        <source>Rule %1 (%2) is disabled; enable it to run it.</source>
        <translation>Reguła %1 (%2) jest wyłączona; włącz ją, aby ją uruchomić.</translation>
    </message>
</context>
<context>
    <name>sd::automation::Engine</name>
    <message>
        <source>Stopped: this change was caused by a chain of %1 rule actions (the limit is %2); a rule may be triggering itself.</source>
        <translation>Zatrzymano: tę zmianę wywołał łańcuch %1 akcji reguł (limit to %2); reguła może wywoływać samą siebie.</translation>
    </message>
    <message>
        <source>Not fired: the rule has acted on this order %1 times, its limit.</source>
        <translation>Nie uruchomiono: reguła zadziałała na tym zamówieniu już %1 razy, tyle wynosi jej limit.</translation>
    </message>
    <message>
        <source>Timer set for %1 (UTC); the conditions are checked then.</source>
        <translation>Ustawiono zegar na %1 (UTC); warunki zostaną sprawdzone w tej chwili.</translation>
    </message>
    <message>
        <source>Not fired: the order left the status "%1" before the time was up.</source>
        <translation>Nie uruchomiono: zamówienie opuściło status „%1” przed upływem czasu.</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>tak</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>%1 of %2 lines match</source>
        <translation>pasuje %1 z %2 pozycji</translation>
    </message>
    <message>
        <source>Not fired: the order's account or courier is outside the rule's scope.</source>
        <translation>Nie uruchomiono: konto lub kurier zamówienia jest poza zakresem reguły.</translation>
    </message>
    <message>
        <source>Fired: every condition holds.</source>
        <translation>Uruchomiono: wszystkie warunki są spełnione.</translation>
    </message>
    <message>
        <source>Not fired: these conditions do not hold: %1.</source>
        <translation>Nie uruchomiono: te warunki nie są spełnione: %1.</translation>
    </message>
    <message>
        <source>status stays "%1"</source>
        <translation>status pozostaje „%1”</translation>
    </message>
    <message>
        <source>status "%1" -&gt; "%2"</source>
        <translation>status „%1” -&gt; „%2”</translation>
    </message>
    <message>
        <source>the customer is informed</source>
        <translation>klient zostanie powiadomiony</translation>
    </message>
    <message>
        <source>tag "%1" is there already</source>
        <translation>tag „%1” już jest</translation>
    </message>
    <message>
        <source>tag "%1" is added</source>
        <translation>tag „%1” zostanie dodany</translation>
    </message>
    <message>
        <source>tag "%1" is removed</source>
        <translation>tag „%1” zostanie usunięty</translation>
    </message>
    <message>
        <source>tag "%1" is not there</source>
        <translation>tagu „%1” nie ma</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>runs rule %1</source>
        <translation>uruchamia regułę %1</translation>
    </message>
    <message>
        <source>operator is told: %1</source>
        <translation>operator dostanie wiadomość: %1</translation>
    </message>
    <message>
        <source>not configured: %1 arrives with a later version</source>
        <translation>nieskonfigurowane: „%1” pojawi się w późniejszej wersji</translation>
    </message>
    <message numerus="yes">
        <source>marked as sent on the marketplace with %n tracking number(s)</source>
        <translation>
            <numerusform>oznaczone w serwisie jako wysłane z %n numerem przesyłki</numerusform>
            <numerusform>oznaczone w serwisie jako wysłane z %n numerami przesyłek</numerusform>
            <numerusform>oznaczone w serwisie jako wysłane z %n numerami przesyłek</numerusform>
        </translation>
    </message>
    <message>
        <source>the payment of %1 is refunded</source>
        <translation>wpłata %1 zostaje zwrócona</translation>
    </message>
    <message numerus="yes">
        <source>the commission is claimed back for %n line item(s)</source>
        <translation>
            <numerusform>wniosek o zwrot prowizji za %n pozycję</numerusform>
            <numerusform>wniosek o zwrot prowizji za %n pozycje</numerusform>
            <numerusform>wniosek o zwrot prowizji za %n pozycji</numerusform>
        </translation>
    </message>
    <message>
        <source>an invoice is issued</source>
        <translation>zostaje wystawiona faktura</translation>
    </message>
    <message>
        <source>an invoice is issued (series %1)</source>
        <translation>zostaje wystawiona faktura (seria %1)</translation>
    </message>
</context>
<context>
    <name>sd::automation::Executors</name>
    <message>
        <source>The order had the status "%1" already.</source>
        <translation>Zamówienie miało już status „%1”.</translation>
    </message>
    <message>
        <source>Status set to "%1".</source>
        <translation>Ustawiono status „%1”.</translation>
    </message>
    <message>
        <source>Tag "%1" added.</source>
        <translation>Dodano tag „%1”.</translation>
    </message>
    <message>
        <source>Tag "%1" removed.</source>
        <translation>Usunięto tag „%1”.</translation>
    </message>
    <message>
        <source>The address answered %1.</source>
        <translation>Adres odpowiedział kodem %1.</translation>
    </message>
    <message>
        <source>The address could not be called: %1</source>
        <translation>Nie udało się wywołać adresu: %1</translation>
    </message>
    <message>
        <source>Stopped: a chain of %1 rules; rule %2 is not run.</source>
        <translation>Zatrzymano: łańcuch %1 reguł; reguła %2 nie zostanie uruchomiona.</translation>
    </message>
    <message>
        <source>Rule %1 did not fire: %2</source>
        <translation>Reguła %1 nie została uruchomiona: %2</translation>
    </message>
    <message>
        <source>Rule %1 fired.</source>
        <translation>Uruchomiono regułę %1.</translation>
    </message>
    <message>
        <source>Operator alert: %1</source>
        <translation>Alert dla operatora: %1</translation>
    </message>
    <message>
        <source>Not configured: "%1" arrives with a later version; nothing was done.</source>
        <translation>Nieskonfigurowane: „%1” pojawi się w późniejszej wersji; nic nie zrobiono.</translation>
    </message>
    <message>
        <source>A URL call is made only by the scheduler, without waiting.</source>
        <translation>Adres wywołuje tylko harmonogram zadań, bez czekania.</translation>
    </message>
</context>
<context>
    <name>sd::automation::MarketplaceExecutor</name>
    <message>
        <source>The marketplace refused it: %1</source>
        <translation>Serwis odmówił: %1</translation>
    </message>
    <message>
        <source>The order does not come from an Allegro account; nothing was sent.</source>
        <translation>Zamówienie nie pochodzi z konta Allegro; nic nie wysłano.</translation>
    </message>
    <message>
        <source>The order's marketplace account is not known; nothing was sent.</source>
        <translation>Konto serwisu, z którego pochodzi zamówienie, jest nieznane; nic nie wysłano.</translation>
    </message>
    <message>
        <source>The secret store with the marketplace tokens is not open; nothing was sent.</source>
        <translation>Magazyn sekretów z tokenami serwisu nie jest otwarty; nic nie wysłano.</translation>
    </message>
    <message>
        <source>The order's marketplace account is gone: %1</source>
        <translation>Konta serwisu, z którego pochodzi zamówienie, już nie ma: %1</translation>
    </message>
    <message>
        <source>The account %1 is not connected to Allegro; nothing was sent.</source>
        <translation>Konto %1 nie jest połączone z Allegro; nic nie wysłano.</translation>
    </message>
    <message>
        <source>Marked as sent on Allegro (no new tracking number).</source>
        <translation>Oznaczono w Allegro jako wysłane (bez nowego numeru przesyłki).</translation>
    </message>
    <message numerus="yes">
        <source>Marked as sent on Allegro with %n tracking number(s).</source>
        <translation>
            <numerusform>Oznaczono w Allegro jako wysłane z %n numerem przesyłki.</numerusform>
            <numerusform>Oznaczono w Allegro jako wysłane z %n numerami przesyłek.</numerusform>
            <numerusform>Oznaczono w Allegro jako wysłane z %n numerami przesyłek.</numerusform>
        </translation>
    </message>
    <message>
        <source>The order has no paid Allegro payment to refund; nothing was sent.</source>
        <translation>Zamówienie nie ma opłaconej płatności Allegro do zwrotu; nic nie wysłano.</translation>
    </message>
    <message>
        <source>The refund was made before; nothing was sent again.</source>
        <translation>Zwrot został już zlecony wcześniej; nic nie wysłano ponownie.</translation>
    </message>
    <message>
        <source>Refund of %1 requested on Allegro.</source>
        <translation>Zlecono w Allegro zwrot %1.</translation>
    </message>
    <message>
        <source>The commission was claimed before; nothing was sent again.</source>
        <translation>O zwrot prowizji wystąpiono już wcześniej; nic nie wysłano ponownie.</translation>
    </message>
    <message numerus="yes">
        <source>Commission refund claimed for %n line item(s).</source>
        <translation>
            <numerusform>Złożono wniosek o zwrot prowizji za %n pozycję.</numerusform>
            <numerusform>Złożono wnioski o zwrot prowizji za %n pozycje.</numerusform>
            <numerusform>Złożono wnioski o zwrot prowizji za %n pozycji.</numerusform>
        </translation>
    </message>
    <message>
        <source>Unknown marketplace action.</source>
        <translation>Nieznana akcja w serwisie.</translation>
    </message>
    <message>
        <source>The buyer's message was answered on Allegro.</source>
        <translation>Odpowiedziano na wiadomość kupującego na Allegro.</translation>
    </message>
    <message>
        <source>No buyer message to answer (none, answered before, or outside the chosen hours).</source>
        <translation>Brak wiadomości kupującego do odpowiedzi (żadnej nie ma, odpowiedziano już wcześniej albo poza wybranymi godzinami).</translation>
    </message>
</context>
<context>
    <name>sd::automation::Rule</name>
    <message>
        <source>The rule "%1" is not valid: %2</source>
        <translation>Reguła „%1” jest nieprawidłowa: %2</translation>
    </message>
    <message>
        <source>unknown key %1</source>
        <translation>nieznany klucz %1</translation>
    </message>
    <message>
        <source>a condition must be an object</source>
        <translation>warunek musi być obiektem</translation>
    </message>
    <message>
        <source>must be a list of conditions</source>
        <translation>musi być listą warunków</translation>
    </message>
    <message>
        <source>must be "any", "all" or "none"</source>
        <translation>musi mieć wartość „any”, „all” lub „none”</translation>
    </message>
    <message>
        <source>a line item group needs "where"</source>
        <translation>grupa pozycji wymaga klucza „where”</translation>
    </message>
    <message>
        <source>must be a list</source>
        <translation>musi być listą</translation>
    </message>
    <message>
        <source>a condition needs one of "all", "any", "not", "items" or "field"</source>
        <translation>warunek wymaga jednego z kluczy „all”, „any”, „not”, „items” lub „field”</translation>
    </message>
    <message>
        <source>an action must be an object</source>
        <translation>akcja musi być obiektem</translation>
    </message>
    <message>
        <source>must be a whole number of minutes, 0 or more</source>
        <translation>musi być całkowitą liczbą minut, 0 lub więcej</translation>
    </message>
    <message>
        <source>%1 needs text</source>
        <translation>%1 wymaga tekstu</translation>
    </message>
    <message>
        <source>%1 must be one of: %2</source>
        <translation>%1 musi mieć jedną z wartości: %2</translation>
    </message>
    <message>
        <source>%1 needs a whole number</source>
        <translation>%1 wymaga liczby całkowitej</translation>
    </message>
    <message>
        <source>%1 needs an amount such as 100 or "99.99"</source>
        <translation>%1 wymaga kwoty, np. 100 lub „99.99”</translation>
    </message>
    <message>
        <source>%1 takes no value</source>
        <translation>%1 nie przyjmuje wartości</translation>
    </message>
    <message>
        <source>line item groups cannot be nested</source>
        <translation>grup pozycji nie można zagnieżdżać</translation>
    </message>
    <message>
        <source>unknown field %1</source>
        <translation>nieznane pole %1</translation>
    </message>
    <message>
        <source>%1 is a line item field; use it inside an "items" group</source>
        <translation>%1 to pole pozycji; użyj go wewnątrz grupy „items”</translation>
    </message>
    <message>
        <source>%1 is an order field; it cannot be tested inside an "items" group</source>
        <translation>%1 to pole zamówienia; nie można go sprawdzać wewnątrz grupy „items”</translation>
    </message>
    <message>
        <source>unknown operator %1</source>
        <translation>nieznany operator %1</translation>
    </message>
    <message>
        <source>the operator %1 does not apply to %2 (%3)</source>
        <translation>operatora %1 nie można użyć dla pola %2 (%3)</translation>
    </message>
    <message>
        <source>the operator %1 takes no value</source>
        <translation>operator %1 nie przyjmuje wartości</translation>
    </message>
    <message>
        <source>the operator %1 needs one value</source>
        <translation>operator %1 wymaga jednej wartości</translation>
    </message>
    <message>
        <source>the operator %1 needs a list of values</source>
        <translation>operator %1 wymaga listy wartości</translation>
    </message>
    <message>
        <source>the operator %1 needs two values (from, to)</source>
        <translation>operator %1 wymaga dwóch wartości (od, do)</translation>
    </message>
    <message>
        <source>the pattern is not valid: %1</source>
        <translation>wzorzec jest nieprawidłowy: %1</translation>
    </message>
    <message>
        <source>unknown parameter %1</source>
        <translation>nieznany parametr %1</translation>
    </message>
    <message>
        <source>%1 is required</source>
        <translation>%1 jest wymagane</translation>
    </message>
    <message>
        <source>%1 must be a whole number from %2 to %3</source>
        <translation>%1 musi być liczbą całkowitą od %2 do %3</translation>
    </message>
    <message>
        <source>%1 must be a whole number, at least %2</source>
        <translation>%1 musi być liczbą całkowitą, co najmniej %2</translation>
    </message>
    <message>
        <source>%1 must be true or false</source>
        <translation>%1 musi mieć wartość true lub false</translation>
    </message>
    <message>
        <source>%1 must start with http:// or https://</source>
        <translation>%1 musi zaczynać się od http:// lub https://</translation>
    </message>
    <message>
        <source>%1 must be a non-empty text</source>
        <translation>%1 musi być niepustym tekstem</translation>
    </message>
    <message>
        <source>unknown action %1</source>
        <translation>nieznana akcja %1</translation>
    </message>
    <message>
        <source>must be %1</source>
        <translation>musi mieć wartość %1</translation>
    </message>
    <message>
        <source>a rule needs a trigger</source>
        <translation>reguła wymaga zdarzenia wyzwalającego</translation>
    </message>
    <message>
        <source>a rule needs a list of actions</source>
        <translation>reguła wymaga listy akcji</translation>
    </message>
    <message>
        <source>must be a whole number, 0 or more</source>
        <translation>musi być liczbą całkowitą, 0 lub więcej</translation>
    </message>
    <message>
        <source>The rule is not valid JSON (at character %1: %2).</source>
        <translation>Reguła nie jest poprawnym JSON-em (znak %1: %2).</translation>
    </message>
    <message>
        <source>A rule must be a JSON object.</source>
        <translation>Reguła musi być obiektem JSON.</translation>
    </message>
    <message>
        <source>a rule needs a name</source>
        <translation>reguła wymaga nazwy</translation>
    </message>
    <message>
        <source>unknown trigger %1</source>
        <translation>nieznane zdarzenie wyzwalające %1</translation>
    </message>
    <message>
        <source>a rule needs at least one action</source>
        <translation>reguła wymaga co najmniej jednej akcji</translation>
    </message>
    <message>
        <source>There is no rule %1.</source>
        <translation>Nie ma reguły %1.</translation>
    </message>
</context>
<context>
    <name>sd::automation::RuleInsights</name>
    <message>
        <source>"%1" has not acted on any order in %2 days.</source>
        <translation>„%1” nie zadziałała na żadnym zamówieniu od %2 dni.</translation>
    </message>
    <message>
        <source>"%1" and "%2" react to the same event and can both match one order, but set different statuses (%3 / %4).</source>
        <translation>„%1” i „%2” reagują na to samo zdarzenie i obie mogą pasować do jednego zamówienia, ale ustawiają różne statusy (%3 / %4).</translation>
    </message>
    <message>
        <source>"%1" can set itself off again: %2. The engine stops such a chain after %3 steps.</source>
        <translation>„%1” może uruchomić samą siebie ponownie: %2. Silnik przerywa taki łańcuch po %3 krokach.</translation>
    </message>
    <message>
        <source>Job %1 cannot run again: only a failed job can, and this one is not failed now.</source>
        <translation>Zadania %1 nie można uruchomić ponownie: można to zrobić tylko z zadaniem nieudanym, a to teraz nim nie jest.</translation>
    </message>
</context>
<context>
    <name>sd::automation::Scheduler</name>
    <message>
        <source>Another SellerDesk (process %1 on %2) runs the automation for this database; this one does not run rules or jobs. Close the other one, or use a shared PostgreSQL database to run several.</source>
        <translation>Inny SellerDesk (proces %1 na %2) prowadzi automatyzację dla tej bazy; ten nie uruchamia reguł ani zadań. Zamknij tamten albo użyj wspólnej bazy PostgreSQL, aby działało ich kilka.</translation>
    </message>
    <message>
        <source>The job names an action the rule does not have.</source>
        <translation>Zadanie wskazuje akcję, której reguła nie ma.</translation>
    </message>
    <message>
        <source>Skipped: already done.</source>
        <translation>Pominięto: już wykonane.</translation>
    </message>
    <message>
        <source>Another workstation is running this action.</source>
        <translation>Inne stanowisko wykonuje tę akcję.</translation>
    </message>
    <message>
        <source>An earlier attempt was interrupted; it may or may not have happened, so it is not repeated. Check and run it by hand if needed.</source>
        <translation>Wcześniejsza próba została przerwana; nie wiadomo, czy akcja się wykonała, więc nie zostanie powtórzona. Sprawdź i w razie potrzeby wykonaj ją ręcznie.</translation>
    </message>
    <message numerus="yes">
        <source>%n old trace(s) deleted.</source>
        <translation>
            <numerusform>Usunięto %n stary ślad.</numerusform>
            <numerusform>Usunięto %n stare ślady.</numerusform>
            <numerusform>Usunięto %n starych śladów.</numerusform>
        </translation>
    </message>
    <message>
        <source>The jobs did not finish in time.</source>
        <translation>Zadania nie zakończyły się na czas.</translation>
    </message>
</context>
<context>
    <name>sd::cli</name>
    <message>
        <source>The benchmark's SQLite step failed: %1</source>
        <translation>Krok SQLite w teście wydajności nie powiódł się: %1</translation>
    </message>
    <message>
        <source>Cannot create a temporary folder for the benchmark.</source>
        <translation>Nie można utworzyć folderu tymczasowego dla testu wydajności.</translation>
    </message>
    <message>
        <source>generated %1 checkout forms in %2 s (not counted)</source>
        <translation>wygenerowano %1 formularzy zamówień w %2 s (nie wliczane)</translation>
    </message>
    <message>
        <source>The benchmark imported %1 of %2 orders (%3 rejected).</source>
        <translation>Test wydajności zaimportował %1 z %2 zamówień (%3 odrzuconych).</translation>
    </message>
    <message>
        <source>import:        %1 orders in %2 s = %3 orders/s (parse, map, compare, store with history and events)</source>
        <translation>import:        %1 zamówień w %2 s = %3 zamówień/s (odczyt, mapowanie, porównanie, zapis z historią i zdarzeniami)</translation>
    </message>
    <message>
        <source>plain sqlite3: the same %1 rows in %2 s = %3 orders/s (bulk insert, no parsing)</source>
        <translation>czysty sqlite3: te same %1 wierszy w %2 s = %3 zamówień/s (wstawianie hurtowe, bez odczytu)</translation>
    </message>
    <message>
        <source>ratio (plain time / import time): %1   target &gt;= 0.50: %2</source>
        <translation>stosunek (czas czysty / czas importu): %1   cel &gt;= 0,50: %2</translation>
    </message>
    <message>
        <source>met</source>
        <translation>osiągnięty</translation>
    </message>
    <message>
        <source>not met</source>
        <translation>nieosiągnięty</translation>
    </message>
    <message>
        <source>rate target &gt;= 20000 orders/s: %1</source>
        <translation>cel szybkości &gt;= 20000 zamówień/s: %1</translation>
    </message>
    <message>
        <source>(see sellerdesk-cli --help)</source>
        <translation>(zobacz sellerdesk-cli --help)</translation>
    </message>
    <message>
        <source>error:</source>
        <translation>błąd:</translation>
    </message>
    <message>
        <source>import-orders needs at least one FILE</source>
        <translation>import-orders wymaga co najmniej jednego PLIKU</translation>
    </message>
    <message>
        <source>rejected %1 (%2): %3</source>
        <translation>odrzucono %1 (%2): %3</translation>
    </message>
    <message>
        <source>new: %1, updated: %2, unchanged: %3, rejected: %4</source>
        <translation>nowe: %1, zaktualizowane: %2, bez zmian: %3, odrzucone: %4</translation>
    </message>
    <message>
        <source>COD</source>
        <translation>Pobranie</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>opłacone</translation>
    </message>
    <message>
        <source>partly paid</source>
        <translation>opłacone częściowo</translation>
    </message>
    <message>
        <source>overpaid</source>
        <translation>nadpłacone</translation>
    </message>
    <message>
        <source>refunded</source>
        <translation>zwrócone</translation>
    </message>
    <message>
        <source>unpaid</source>
        <translation>nieopłacone</translation>
    </message>
    <message>
        <source>unexpected argument %1</source>
        <translation>nieoczekiwany argument %1</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>NR</translation>
    </message>
    <message>
        <source>DATE</source>
        <translation>DATA</translation>
    </message>
    <message>
        <source>MARKETPLACE ID</source>
        <translation>NR W SERWISIE</translation>
    </message>
    <message>
        <source>BUYER</source>
        <translation>KUPUJĄCY</translation>
    </message>
    <message>
        <source>TOTAL</source>
        <translation>RAZEM</translation>
    </message>
    <message>
        <source>PAYMENT</source>
        <translation>PŁATNOŚĆ</translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation>STATUS</translation>
    </message>
    <message numerus="yes">
        <source>%n order(s)</source>
        <translation>
            <numerusform>%n zamówienie</numerusform>
            <numerusform>%n zamówienia</numerusform>
            <numerusform>%n zamówień</numerusform>
        </translation>
    </message>
    <message>
        <source>Order %1</source>
        <translation>Zamówienie %1</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Marketplace</source>
        <translation>Serwis</translation>
    </message>
    <message>
        <source>Bought</source>
        <translation>Kupiono</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Zmieniono</translation>
    </message>
    <message>
        <source>Buyer</source>
        <translation>Kupujący</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Login</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>NIP</source>
        <translation>NIP</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Dostawa</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Sposób</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adres</translation>
    </message>
    <message>
        <source>Pick-up point</source>
        <translation>Punkt odbioru</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Koszt</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>Płatność</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Opłacone</translation>
    </message>
    <message>
        <source>Paid at</source>
        <translation>Data wpłaty</translation>
    </message>
    <message>
        <source>Invoice</source>
        <translation>Faktura</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Pozycje</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Razem</translation>
    </message>
    <message>
        <source>Buyer's comment</source>
        <translation>Komentarz kupującego</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notatki</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tagi</translation>
    </message>
    <message>
        <source>Referrers</source>
        <translation>Źródła wejścia</translation>
    </message>
    <message>
        <source>orders history needs exactly one order ID</source>
        <translation>orders history wymaga dokładnie jednego numeru zamówienia</translation>
    </message>
    <message>
        <source>orders show needs exactly one order ID</source>
        <translation>orders show wymaga dokładnie jednego numeru zamówienia</translation>
    </message>
    <message>
        <source>WHEN</source>
        <translation>KIEDY</translation>
    </message>
    <message>
        <source>WHO</source>
        <translation>KTO</translation>
    </message>
    <message>
        <source>FIELD</source>
        <translation>POLE</translation>
    </message>
    <message>
        <source>CHANGE</source>
        <translation>ZMIANA</translation>
    </message>
    <message>
        <source>orders set-status needs an order ID and a STATUS</source>
        <translation>orders set-status wymaga numeru zamówienia i STATUSU</translation>
    </message>
    <message>
        <source>status set by hand</source>
        <translation>status zmieniony ręcznie</translation>
    </message>
    <message>
        <source>Order %1 already has the status %2.</source>
        <translation>Zamówienie %1 ma już status %2.</translation>
    </message>
    <message>
        <source>Order %1: status set to %2.</source>
        <translation>Zamówienie %1: ustawiono status %2.</translation>
    </message>
    <message>
        <source>orders needs a subcommand: list, show, history or set-status</source>
        <translation>orders wymaga polecenia: list, show, history lub set-status</translation>
    </message>
    <message>
        <source>unknown orders subcommand %1</source>
        <translation>nieznane polecenie orders: %1</translation>
    </message>
    <message>
        <source>statuses needs a subcommand: list or add</source>
        <translation>statuses wymaga polecenia: list lub add</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>NAZWA</translation>
    </message>
    <message>
        <source>GROUP</source>
        <translation>GRUPA</translation>
    </message>
    <message>
        <source>COLOUR</source>
        <translation>KOLOR</translation>
    </message>
    <message>
        <source>statuses add needs exactly one NAME (quote names with spaces)</source>
        <translation>statuses add wymaga dokładnie jednej NAZWY (nazwy ze spacjami ujmij w cudzysłów)</translation>
    </message>
    <message>
        <source>unknown group %1; use new, in-progress, shipped, closed or cancelled</source>
        <translation>nieznana grupa %1; użyj new, in-progress, shipped, closed lub cancelled</translation>
    </message>
    <message>
        <source>Status %1 added (%2).</source>
        <translation>Dodano status %1 (%2).</translation>
    </message>
    <message>
        <source>unknown statuses subcommand %1</source>
        <translation>nieznane polecenie statuses: %1</translation>
    </message>
    <message>
        <source>Demo profile ready: %1 new orders, %2 already there.</source>
        <translation>Profil szkoleniowy gotowy: %1 nowych zamówień, %2 już było.</translation>
    </message>
    <message>
        <source>the option %1 needs a value</source>
        <translation>opcja %1 wymaga wartości</translation>
    </message>
    <message>
        <source>unknown option %1</source>
        <translation>nieznana opcja %1</translation>
    </message>
    <message>
        <source>use either --profile or --database, not both</source>
        <translation>użyj --profile albo --database, nie obu naraz</translation>
    </message>
    <message>
        <source>no command given</source>
        <translation>nie podano polecenia</translation>
    </message>
    <message>
        <source>unknown command %1</source>
        <translation>nieznane polecenie %1</translation>
    </message>
    <message>
        <source>training profile</source>
        <translation>profil szkoleniowy</translation>
    </message>
    <message>
        <source>the option --%1 needs a value</source>
        <translation>opcja --%1 wymaga wartości</translation>
    </message>
    <message>
        <source>--%1 must be a whole number from %2 to %3</source>
        <translation>--%1 musi być liczbą całkowitą od %2 do %3</translation>
    </message>
    <message>
        <source>Order %1: status set to %2; the buyer will be told.</source>
        <translation>Zamówienie %1: ustawiono status %2; kupujący zostanie powiadomiony.</translation>
    </message>
    <message>
        <source>building a profile with %1 orders in %2 (once; later runs reuse it)…</source>
        <translation>buduję profil z %1 zamówieniami w %2 (raz; kolejne uruchomienia go użyją)…</translation>
    </message>
    <message>
        <source>built in %1 s</source>
        <translation>zbudowano w %1 s</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>Nie można zapisać %1</translation>
    </message>
    <message>
        <source>The benchmark profile has no statuses.</source>
        <translation>Profil testu wydajności nie ma statusów.</translation>
    </message>
    <message>
        <source>tab switch: %1 ms (%2 rows)   target &lt; 50 ms</source>
        <translation>zmiana zakładki: %1 ms (%2 wierszy)   cel &lt; 50 ms</translation>
    </message>
    <message>
        <source>status + payment filter: %1 ms (%2 rows)   target &lt; 50 ms</source>
        <translation>filtr status + płatność: %1 ms (%2 wierszy)   cel &lt; 50 ms</translation>
    </message>
    <message>
        <source>search by buyer login "%1": %2 ms (%3 rows)   target &lt; 100 ms</source>
        <translation>wyszukiwanie po loginie „%1”: %2 ms (%3 wierszy)   cel &lt; 100 ms</translation>
    </message>
    <message>
        <source>peak memory (RSS): %1 MB   target &lt; 250 MB</source>
        <translation>szczyt pamięci (RSS): %1 MB   cel &lt; 250 MB</translation>
    </message>
    <message>
        <source>The encrypted secret file needs a passphrase: set SD_SECRET_PASSPHRASE.</source>
        <translation>Zaszyfrowany plik sekretów wymaga hasła: ustaw SD_SECRET_PASSPHRASE.</translation>
    </message>
    <message>
        <source>allegro connect needs --url URL</source>
        <translation>allegro connect wymaga --url ADRES</translation>
    </message>
    <message>
        <source>--url is not a valid address</source>
        <translation>--url nie jest poprawnym adresem</translation>
    </message>
    <message>
        <source>--environment must be production, sandbox or training</source>
        <translation>--environment musi mieć wartość production, sandbox lub training</translation>
    </message>
    <message>
        <source>Open %1 and enter the code %2</source>
        <translation>Otwórz %1 i wpisz kod %2</translation>
    </message>
    <message>
        <source>or open %1</source>
        <translation>albo otwórz %1</translation>
    </message>
    <message>
        <source>Waiting for the approval…</source>
        <translation>Czekam na zatwierdzenie…</translation>
    </message>
    <message>
        <source>Connected the account %1 (%2).</source>
        <translation>Połączono konto %1 (%2).</translation>
    </message>
    <message>
        <source>There is no account called %1.</source>
        <translation>Nie ma konta o nazwie %1.</translation>
    </message>
    <message>
        <source>No Allegro account is connected. Use: sellerdesk-cli allegro connect --url URL</source>
        <translation>Żadne konto Allegro nie jest połączone. Użyj: sellerdesk-cli allegro connect --url ADRES</translation>
    </message>
    <message>
        <source>%1: new: %2, updated: %3, unchanged: %4, rejected: %5</source>
        <translation>%1: nowe: %2, zaktualizowane: %3, bez zmian: %4, odrzucone: %5</translation>
    </message>
    <message>
        <source>rejected %1: %2</source>
        <translation>odrzucono %1: %2</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>połączone</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>niepołączone</translation>
    </message>
    <message>
        <source>never synced</source>
        <translation>jeszcze nie pobierano</translation>
    </message>
    <message>
        <source>allegro needs a subcommand: connect, sync or accounts</source>
        <translation>allegro wymaga polecenia: connect, sync lub accounts</translation>
    </message>
    <message>
        <source>upgrading the cached profile from schema %1 to %2 (once; it fills the new columns and indexes of every order)…</source>
        <translation>aktualizuję zapisany profil ze schematu %1 do %2 (raz; wypełnia nowe kolumny i indeksy każdego zamówienia)…</translation>
    </message>
    <message>
        <source>upgraded in %1 s</source>
        <translation>zaktualizowano w %1 s</translation>
    </message>
    <message>
        <source>search inside buyer logins "%1": %2 ms (%3 rows)   target &lt; 100 ms</source>
        <translation>wyszukiwanie wewnątrz loginów „%1”: %2 ms (%3 wierszy)   cel &lt; 100 ms</translation>
    </message>
    <message>
        <source>training needs a subcommand: serve</source>
        <translation>training wymaga polecenia: serve</translation>
    </message>
    <message>
        <source>%1 has a bad value: %2</source>
        <translation>%1 ma błędną wartość: %2</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Nie można odczytać %1: %2</translation>
    </message>
    <message>
        <source>%1 is not a rule number</source>
        <translation>%1 nie jest numerem reguły</translation>
    </message>
    <message>
        <source>ID  VERSION  ENABLED  TRIGGER  NAME</source>
        <translation>NR  WERSJA  WŁĄCZONA  ZDARZENIE  NAZWA</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>tak</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>actual: %1</source>
        <translation>faktycznie: %1</translation>
    </message>
    <message>
        <source>rules dry-run needs exactly one of --rule FILE, --id ID or --all</source>
        <translation>rules dry-run wymaga dokładnie jednej z opcji --rule PLIK, --id NR lub --all</translation>
    </message>
    <message>
        <source>--since needs a duration such as 30m, 12h or 7d</source>
        <translation>--since wymaga okresu, np. 30m, 12h lub 7d</translation>
    </message>
    <message>
        <source>Order %1 (%2), status %3</source>
        <translation>Zamówienie %1 (%2), status %3</translation>
    </message>
    <message>
        <source>WOULD FIRE</source>
        <translation>ZADZIAŁAŁABY</translation>
    </message>
    <message>
        <source>would not fire</source>
        <translation>nie zadziałałaby</translation>
    </message>
    <message>
        <source>Dry run: %1 orders, %2 matches; nothing was changed.</source>
        <translation>Próba na sucho: %1 zamówień, %2 dopasowań; niczego nie zmieniono.</translation>
    </message>
    <message>
        <source>rules trace needs one order</source>
        <translation>rules trace wymaga jednego zamówienia</translation>
    </message>
    <message>
        <source>No rule has looked at this order yet.</source>
        <translation>Żadna reguła nie sprawdzała jeszcze tego zamówienia.</translation>
    </message>
    <message>
        <source>rule %1 v%2 "%3"</source>
        <translation>reguła %1 w%2 „%3”</translation>
    </message>
    <message>
        <source>ID  KIND  ORDER  STATE  DUE  ATTEMPTS  NOTE</source>
        <translation>NR  RODZAJ  ZAMÓWIENIE  STAN  TERMIN  PRÓBY  UWAGA</translation>
    </message>
    <message>
        <source>--rules must be 1 to 10,000 and --orders 1 to 2,000,000</source>
        <translation>--rules musi wynosić od 1 do 10 000, a --orders od 1 do 2 000 000</translation>
    </message>
    <message>
        <source>%1 rules x %2 orders in memory, one thread (one core)</source>
        <translation>%1 reguł x %2 zamówień w pamięci, jeden wątek (jeden rdzeń)</translation>
    </message>
    <message>
        <source>engine:       %1 rule evaluations/s (%2 s; %3 matches)</source>
        <translation>silnik:       %1 sprawdzeń reguł/s (%2 s; %3 dopasowań)</translation>
    </message>
    <message>
        <source>hand-written: %1 rule evaluations/s (%2 s; %3 matches)</source>
        <translation>kod ręczny:   %1 sprawdzeń reguł/s (%2 s; %3 dopasowań)</translation>
    </message>
    <message>
        <source>engine / hand-written: %1</source>
        <translation>silnik / kod ręczny: %1</translation>
    </message>
    <message>
        <source>dry run (matches with planned actions): %1 s, %2 matches</source>
        <translation>próba na sucho (dopasowania z planowanymi akcjami): %1 s, %2 dopasowań</translation>
    </message>
    <message>
        <source>targets: &gt;= 10,000,000 evaluations/s/core, dry run &lt; 2 s</source>
        <translation>cele: &gt;= 10 000 000 sprawdzeń/s/rdzeń, próba na sucho &lt; 2 s</translation>
    </message>
    <message>
        <source>the engine and the hand-written loop disagree (%1 vs %2 matches)</source>
        <translation>silnik i kod ręczny dają różne wyniki (%1 i %2 dopasowań)</translation>
    </message>
    <message>
        <source>jobs needs a subcommand: list</source>
        <translation>jobs wymaga polecenia: list</translation>
    </message>
    <message>
        <source>rules import needs one file</source>
        <translation>rules import wymaga jednego pliku</translation>
    </message>
    <message>
        <source>Rule %1 "%2" saved as version %3.</source>
        <translation>Reguła %1 „%2” zapisana jako wersja %3.</translation>
    </message>
    <message>
        <source>rules %1 needs one rule number</source>
        <translation>rules %1 wymaga jednego numeru reguły</translation>
    </message>
    <message>
        <source>Rule %1 is enabled (version %2).</source>
        <translation>Reguła %1 jest włączona (wersja %2).</translation>
    </message>
    <message>
        <source>Rule %1 is disabled (version %2).</source>
        <translation>Reguła %1 jest wyłączona (wersja %2).</translation>
    </message>
    <message>
        <source>VERSION  WHEN  WHO  ENABLED  NAME</source>
        <translation>WERSJA  KIEDY  KTO  WŁĄCZONA  NAZWA</translation>
    </message>
    <message>
        <source>JSON of every planned action, made on demand: %1 s, %2 MB</source>
        <translation>JSON każdej zaplanowanej akcji, tworzony na żądanie: %1 s, %2 MB</translation>
    </message>
    <message>
        <source>               processor time %1 s on the writing thread (%2 orders/s), %3 s in all (reading and mapping on a second thread)</source>
        <translation>               czas procesora %1 s w wątku zapisu (%2 zamówień/s), łącznie %3 s (odczyt i mapowanie w drugim wątku)</translation>
    </message>
    <message>
        <source>search index (filled by the first search, not counted): import %1 s, plain sqlite3 %2 s</source>
        <translation>indeks wyszukiwania (wypełniany przy pierwszym wyszukiwaniu, nie wliczony): import %1 s, czysty sqlite3 %2 s</translation>
    </message>
    <message>
        <source>first screen (open, tab counts, 200 rows): %1 ms, of which the queries %2 ms (%3 rows)   target &lt; 200 ms</source>
        <translation>pierwszy ekran (otwarcie, liczniki zakładek, 200 wierszy): %1 ms, z tego zapytania %2 ms (%3 wierszy)   cel &lt; 200 ms</translation>
    </message>
    <message>
        <source>rules run needs a rule number and --order ORDER</source>
        <translation>rules run wymaga numeru reguły i --order ZAMÓWIENIE</translation>
    </message>
    <message>
        <source>warning: marketplace actions cannot run here: %1</source>
        <translation>uwaga: akcje w serwisie nie mogą się tu wykonać: %1</translation>
    </message>
    <message>
        <source>Rule %1 is queued for order %2; %3</source>
        <translation>Reguła %1 czeka w kolejce dla zamówienia %2; %3</translation>
    </message>
    <message>
        <source>rule %1 v%2 "%3" on order %4: %5</source>
        <translation>reguła %1 w%2 „%3” na zamówieniu %4: %5</translation>
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
        <translation>  rules list | show NR | export NR | import PLIK | enable NR | disable NR | versions NR
  rules dry-run (--rule PLIK | --id NR | --all) [--orders NRY | --since 30m|12h|7d] [--json]
  rules trace ZAMÓWIENIE [--json]         dlaczego każda reguła zadziałała lub nie na zamówieniu
  rules run NR --order ZAMÓWIENIE         uruchom regułę ręczną (wyzwalacz „manual”) na zamówieniu
  rules reference                         dokumentacja reguł (docs/rules.md) z katalogu
  jobs list [--json]                      kolejka zadań automatyzacji
  bench rules [--rules N] [--orders M]    zmierz sprawdzanie reguł i próbę na sucho
</translation>
    </message>
    <message>
        <source>rules needs a subcommand: list, show, export, import, enable, disable, versions, dry-run, trace, run</source>
        <translation>rules wymaga polecenia: list, show, export, import, enable, disable, versions, dry-run, trace, run</translation>
    </message>
    <message>
        <source>invoices: %1 issued, %2 left for manual invoicing, %3 failed</source>
        <translation>faktury: wystawione %1, do ręcznego wystawienia %2, nieudane %3</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Nie można zapisać %1: %2</translation>
    </message>
    <message>
        <source>%1 has no KSeF XML (a pro-forma is not sent to KSeF).</source>
        <translation>%1 nie ma pliku XML KSeF (pro forma nie trafia do KSeF).</translation>
    </message>
    <message>
        <source>Issued:  %1 in %2</source>
        <translation>Wystawiono: %1 w %2</translation>
    </message>
    <message>
        <source>Buyer:   %1 %2</source>
        <translation>Nabywca:  %1 %2</translation>
    </message>
    <message>
        <source>Order:   %1 (%2)</source>
        <translation>Zamówienie: %1 (%2)</translation>
    </message>
    <message>
        <source>Corrects: %1 (%2)</source>
        <translation>Koryguje: %1 (%2)</translation>
    </message>
    <message>
        <source>  rate %1: net %2, VAT %3, gross %4</source>
        <translation>  stawka %1: netto %2, VAT %3, brutto %4</translation>
    </message>
    <message>
        <source>Total:   %1 %2</source>
        <translation>Razem:    %1 %2</translation>
    </message>
    <message>
        <source>KSeF:    %1</source>
        <translation>KSeF:     %1</translation>
    </message>
    <message>
        <source>Reason:  %1</source>
        <translation>Powód:    %1</translation>
    </message>
    <message>
        <source>company needs a subcommand: set or show</source>
        <translation>company wymaga podpolecenia: set albo show</translation>
    </message>
    <message>
        <source>The logo file %1 does not exist.</source>
        <translation>Plik logo %1 nie istnieje.</translation>
    </message>
    <message>
        <source>Company data saved: %1, NIP %2</source>
        <translation>Zapisano dane firmy: %1, NIP %2</translation>
    </message>
    <message>
        <source>NAME  TYPE  PATTERN  RESET  DEFAULT</source>
        <translation>NAZWA  RODZAJ  WZORZEC  OD NOWA  DOMYŚLNA</translation>
    </message>
    <message>
        <source>series needs a subcommand: add or list</source>
        <translation>series wymaga podpolecenia: add albo list</translation>
    </message>
    <message>
        <source>series add needs NAME and --pattern</source>
        <translation>series add wymaga NAZWY i --pattern</translation>
    </message>
    <message>
        <source>--type is one of vat, private, receipt-invoice, correction, proforma</source>
        <translation>--type to jedno z: vat, private, receipt-invoice, correction, proforma</translation>
    </message>
    <message>
        <source>--reset is one of never, yearly, monthly</source>
        <translation>--reset to jedno z: never, yearly, monthly</translation>
    </message>
    <message>
        <source>Series %1 added: %2</source>
        <translation>Dodano serię %1: %2</translation>
    </message>
    <message>
        <source>"%1" is not LINE=VALUE</source>
        <translation>„%1” nie ma postaci POZYCJA=WARTOŚĆ</translation>
    </message>
    <message>
        <source>--date is YYYY-MM-DD</source>
        <translation>--date ma postać RRRR-MM-DD</translation>
    </message>
    <message>
        <source>Automatic invoicing is off; turn it on with "documents settings --auto-invoice on".</source>
        <translation>Automatyczne fakturowanie jest wyłączone; włącz je poleceniem „documents settings --auto-invoice on”.</translation>
    </message>
    <message>
        <source>%1 issued, %2 skipped, %3 left for manual invoicing, %4 failed</source>
        <translation>wystawione: %1, pominięte: %2, do ręcznego wystawienia: %3, nieudane: %4</translation>
    </message>
    <message>
        <source>invoice %1 needs one ORDER or DOCUMENT</source>
        <translation>invoice %1 wymaga jednego ZAMÓWIENIA albo DOKUMENTU</translation>
    </message>
    <message>
        <source>--type is one of vat, private, receipt-invoice, proforma</source>
        <translation>--type to jedno z: vat, private, receipt-invoice, proforma</translation>
    </message>
    <message>
        <source>%1 %2 issued for order %3: %4</source>
        <translation>%1 %2 wystawiona do zamówienia %3: %4</translation>
    </message>
    <message>
        <source>%1 cancelled.</source>
        <translation>Anulowano %1.</translation>
    </message>
    <message>
        <source>invoice needs a subcommand: issue, correct, cancel or auto</source>
        <translation>invoice wymaga podpolecenia: issue, correct, cancel albo auto</translation>
    </message>
    <message>
        <source>"%1" is not a quantity</source>
        <translation>„%1” nie jest ilością</translation>
    </message>
    <message>
        <source>%1 issued, correcting %2 by %3</source>
        <translation>Wystawiono %1, korygującą %2 o %3</translation>
    </message>
    <message>
        <source>the value is on or off</source>
        <translation>wartość to on albo off</translation>
    </message>
    <message>
        <source>"%1" is not COUNTRY=RATE</source>
        <translation>„%1” nie ma postaci KRAJ=STAWKA</translation>
    </message>
    <message>
        <source>documents show needs one DOCUMENT</source>
        <translation>documents show wymaga jednego DOKUMENTU</translation>
    </message>
    <message>
        <source>documents needs a subcommand: list, show or settings</source>
        <translation>documents wymaga podpolecenia: list, show albo settings</translation>
    </message>
    <message>
        <source>--state is one of draft, issued, offline, queued, sent, accepted, rejected, cancelled, corrected</source>
        <translation>--state to jedno z: draft, issued, offline, queued, sent, accepted, rejected, cancelled, corrected</translation>
    </message>
    <message>
        <source>ID  NUMBER  TYPE  STATE  DATE  ORDER  BUYER  GROSS</source>
        <translation>ID  NUMER  RODZAJ  STAN  DATA  ZAMÓWIENIE  NABYWCA  BRUTTO</translation>
    </message>
    <message>
        <source>No fiscal printer: give --printer tcp://HOST:PORT or serial:/dev/ttyX, or set one for this workstation.</source>
        <translation>Brak drukarki fiskalnej: podaj --printer tcp://HOST:PORT lub serial:/dev/ttyX albo ustaw drukarkę dla tego stanowiska.</translation>
    </message>
    <message>
        <source>no. %1</source>
        <translation>nr %1</translation>
    </message>
    <message>
        <source>fiscal receipt needs exactly one order ID</source>
        <translation>fiscal receipt wymaga dokładnie jednego numeru zamówienia</translation>
    </message>
    <message>
        <source>Order %1: fiscal receipt %2.</source>
        <translation>Zamówienie %1: paragon fiskalny %2.</translation>
    </message>
    <message>
        <source>fiscal report needs the report's kind: daily</source>
        <translation>fiscal report wymaga rodzaju raportu: daily</translation>
    </message>
    <message>
        <source>--date needs a date as YYYY-MM-DD</source>
        <translation>--date wymaga daty w postaci RRRR-MM-DD</translation>
    </message>
    <message>
        <source>The daily report for %1 was printed.</source>
        <translation>Raport dobowy za %1 został wydrukowany.</translation>
    </message>
    <message>
        <source>fiscal status takes no arguments</source>
        <translation>fiscal status nie przyjmuje argumentów</translation>
    </message>
    <message>
        <source>Printer: %1</source>
        <translation>Drukarka: %1</translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation>Stan: %1</translation>
    </message>
    <message>
        <source>VAT rates: %1</source>
        <translation>Stawki VAT: %1</translation>
    </message>
    <message>
        <source>Receipts closed: %1, last receipt no. %2</source>
        <translation>Zamkniętych paragonów: %1, ostatni paragon nr %2</translation>
    </message>
    <message>
        <source>A receipt is open at the printer.</source>
        <translation>W drukarce jest otwarty paragon.</translation>
    </message>
    <message>
        <source>fiscal receipts takes only options</source>
        <translation>fiscal receipts przyjmuje tylko opcje</translation>
    </message>
    <message>
        <source>fiscal resolve needs an order ID and either --printed or --not-printed</source>
        <translation>fiscal resolve wymaga numeru zamówienia oraz --printed albo --not-printed</translation>
    </message>
    <message>
        <source>--number needs the receipt number printed on it</source>
        <translation>--number wymaga numeru wydrukowanego na paragonie</translation>
    </message>
    <message>
        <source>--vat takes slots as A=23,B=8,C=5,D=0,G=zw; "%1" is not one</source>
        <translation>--vat przyjmuje stawki w postaci A=23,B=8,C=5,D=0,G=zw; „%1” do nich nie pasuje</translation>
    </message>
    <message>
        <source>fiscal simulate takes only options</source>
        <translation>fiscal simulate przyjmuje tylko opcje</translation>
    </message>
    <message>
        <source>--port needs a port number</source>
        <translation>--port wymaga numeru portu</translation>
    </message>
    <message>
        <source>fiscal needs a subcommand: receipt, report, status, receipts, resolve or simulate</source>
        <translation>fiscal wymaga podpolecenia: receipt, report, status, receipts, resolve lub simulate</translation>
    </message>
    <message>
        <source>queued (offline-issued; sent when KSeF is back)</source>
        <translation>w kolejce (wystawiony offline; zostanie wysłany, gdy KSeF znów zadziała)</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>w kolejce</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>wysyłanie</translation>
    </message>
    <message>
        <source>sent, waiting for KSeF</source>
        <translation>wysłany, czeka na KSeF</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>przyjęty</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>odrzucony</translation>
    </message>
    <message>
        <source>Document:</source>
        <translation>Dokument:</translation>
    </message>
    <message>
        <source>State:</source>
        <translation>Stan:</translation>
    </message>
    <message>
        <source>KSeF number:</source>
        <translation>Numer KSeF:</translation>
    </message>
    <message>
        <source>UPO:</source>
        <translation>UPO:</translation>
    </message>
    <message numerus="yes">
        <source>stored (%n byte(s))</source>
        <translation>
            <numerusform>zapisane (%n bajt)</numerusform>
            <numerusform>zapisane (%n bajty)</numerusform>
            <numerusform>zapisane (%n bajtów)</numerusform>
        </translation>
    </message>
    <message>
        <source>Reason:</source>
        <translation>Powód:</translation>
    </message>
    <message>
        <source>Last error:</source>
        <translation>Ostatni błąd:</translation>
    </message>
    <message>
        <source>Next attempt:</source>
        <translation>Następna próba:</translation>
    </message>
    <message>
        <source>unexpected word %1</source>
        <translation>nieoczekiwane słowo %1</translation>
    </message>
    <message>
        <source>--nip must be the seller's 10-digit NIP</source>
        <translation>--nip musi być 10-cyfrowym NIP-em sprzedawcy</translation>
    </message>
    <message>
        <source>The KSeF token cannot be read from standard input.</source>
        <translation>Nie można odczytać tokenu KSeF ze standardowego wejścia.</translation>
    </message>
    <message>
        <source>no KSeF token on standard input</source>
        <translation>brak tokenu KSeF na standardowym wejściu</translation>
    </message>
    <message>
        <source>KSeF environment:</source>
        <translation>Środowisko KSeF:</translation>
    </message>
    <message>
        <source>API address:</source>
        <translation>Adres API:</translation>
    </message>
    <message>
        <source>Seller's NIP:</source>
        <translation>NIP sprzedawcy:</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>nie ustawiono</translation>
    </message>
    <message>
        <source>KSeF token:</source>
        <translation>Token KSeF:</translation>
    </message>
    <message>
        <source>stored in the secret store</source>
        <translation>zapisany w magazynie sekretów</translation>
    </message>
    <message>
        <source>not stored (use --token-stdin)</source>
        <translation>nie zapisano (użyj --token-stdin)</translation>
    </message>
    <message>
        <source>ksef needs a subcommand: send, status or settings</source>
        <translation>ksef wymaga polecenia: send, status lub settings</translation>
    </message>
    <message>
        <source>Print job %1: %2</source>
        <translation>Zadanie wydruku %1: %2</translation>
    </message>
    <message>
        <source>label create needs one order</source>
        <translation>label create wymaga jednego zamówienia</translation>
    </message>
    <message>
        <source>--courier must be allegro or inpost</source>
        <translation>--courier musi mieć wartość allegro albo inpost</translation>
    </message>
    <message>
        <source>--format must be pdf or zpl</source>
        <translation>--format musi mieć wartość pdf albo zpl</translation>
    </message>
    <message>
        <source>--weight must be kilograms, e.g. 1.5</source>
        <translation>--weight to waga w kilogramach, np. 1.5</translation>
    </message>
    <message>
        <source>--size must be LENGTHxWIDTHxHEIGHT in centimetres, e.g. 30x20x10</source>
        <translation>--size musi mieć postać DŁUGOŚĆxSZEROKOŚĆxWYSOKOŚĆ w centymetrach, np. 30x20x10</translation>
    </message>
    <message>
        <source>label</source>
        <translation>etykieta</translation>
    </message>
    <message>
        <source>The order already has this label: %1 %2</source>
        <translation>Zamówienie ma już tę etykietę: %1 %2</translation>
    </message>
    <message>
        <source>Label made: %1 %2</source>
        <translation>Utworzono etykietę: %1 %2</translation>
    </message>
    <message>
        <source>(label barcode %1)</source>
        <translation>(kod kreskowy etykiety %1)</translation>
    </message>
    <message>
        <source>label print needs one order</source>
        <translation>label print wymaga jednego zamówienia</translation>
    </message>
    <message>
        <source>no label printer is set: give --printer tcp://HOST:9100|cups:QUEUE|pdf:FILE</source>
        <translation>nie ustawiono drukarki etykiet: podaj --printer tcp://HOST:9100|cups:KOLEJKA|pdf:PLIK</translation>
    </message>
    <message>
        <source>The order has no label yet: make one with "label create ORDER --courier ...".</source>
        <translation>Zamówienie nie ma jeszcze etykiety: utwórz ją poleceniem „label create ZAMÓWIENIE --courier ...”.</translation>
    </message>
    <message>
        <source>label inpost-setup needs --organization ID (the token is read from standard input)</source>
        <translation>label inpost-setup wymaga --organization ID (token jest czytany ze standardowego wejścia)</translation>
    </message>
    <message>
        <source>give the ShipX API token on standard input</source>
        <translation>podaj token API ShipX na standardowym wejściu</translation>
    </message>
    <message>
        <source>InPost ShipX is set up for organization %1.</source>
        <translation>InPost ShipX skonfigurowano dla organizacji %1.</translation>
    </message>
    <message>
        <source>Sender: %1, %2, %3 %4, %5, %6, %7</source>
        <translation>Nadawca: %1, %2, %3 %4, %5, %6, %7</translation>
    </message>
    <message>
        <source>Training InPost ShipX on %1 (organization %2, token %3). Stop with Ctrl+C.</source>
        <translation>Szkoleniowy InPost ShipX pod adresem %1 (organizacja %2, token %3). Zatrzymaj klawiszami Ctrl+C.</translation>
    </message>
    <message>
        <source>Workstation: %1</source>
        <translation>Stanowisko: %1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(brak)</translation>
    </message>
    <message>
        <source>print jobs takes no order</source>
        <translation>print jobs nie przyjmuje zamówienia</translation>
    </message>
    <message>
        <source>reprint of %1: %2</source>
        <translation>ponowny wydruk %1: %2</translation>
    </message>
    <message>
        <source>print reprint needs one job number</source>
        <translation>print reprint wymaga jednego numeru zadania</translation>
    </message>
    <message>
        <source>print reprint needs --reason</source>
        <translation>print reprint wymaga --reason</translation>
    </message>
    <message>
        <source>Printed %1, with CUPS %2, waiting %3, failed %4.</source>
        <translation>Wydrukowano: %1, w CUPS: %2, czeka: %3, nieudane: %4.</translation>
    </message>
    <message>
        <source>unknown print subcommand %1</source>
        <translation>nieznane podpolecenie print: %1</translation>
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
        <translation>  label create ZAMÓWIENIE --courier allegro|inpost [--format pdf|zpl] [--weight KG] [--size DxSxW]
                                           utwórz etykietę kuriera (raz na zamówienie i kuriera)
  label print ZAMÓWIENIE [--printer tcp://HOST:9100|cups:KOLEJKA|pdf:PLIK]   wydrukuj etykietę zamówienia
  label sender [--name N] [--street U] [--postal-code K] [--city M] [--email E] [--phone T]
  label inpost-setup --organization ID [--url URL]   InPost ShipX (token na standardowym wejściu)
  label training-shipx [--port P]          uruchom szkoleniowy InPost ShipX na tym komputerze
  print jobs [--json] [--limit N]          kolejka wydruków z historią każdego zadania (--json)
  print reprint ZADANIE --reason POWÓD [--printer ADRES]
  print process                            wyślij zadania czekające na drukarkę
  print test-page [--printer ADRES] [--role label|document]
  print printers [--document A] [--label A] [--fiscal A] [--workstation NAZWA]
                                           drukarki tego stanowiska (printers/... w jego ustawieniach)
</translation>
    </message>
    <message>
        <source>unknown label subcommand %1</source>
        <translation>nieznane podpolecenie label: %1</translation>
    </message>
    <message>
        <source>mail account add needs --host, --port, --security and --from</source>
        <translation>mail account add wymaga --host, --port, --security i --from</translation>
    </message>
    <message>
        <source>--port needs a number</source>
        <translation>--port wymaga liczby</translation>
    </message>
    <message>
        <source>--security must be none, ssl or starttls</source>
        <translation>--security musi mieć wartość none, ssl lub starttls</translation>
    </message>
    <message>
        <source>--timeout needs a number of seconds</source>
        <translation>--timeout wymaga liczby sekund</translation>
    </message>
    <message>
        <source>with --user, give the password on standard input with --password-stdin</source>
        <translation>z --user podaj hasło na standardowym wejściu z --password-stdin</translation>
    </message>
    <message>
        <source>Mail account %1 saved.</source>
        <translation>Zapisano konto pocztowe %1.</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>(domyślne)</translation>
    </message>
    <message>
        <source>mail test needs --to ADDRESS</source>
        <translation>mail test wymaga --to ADRES</translation>
    </message>
    <message>
        <source>Test message sent to %1.</source>
        <translation>Wysłano wiadomość testową do %1.</translation>
    </message>
    <message>
        <source>send needs an order ID and --template NAME (see templates list)</source>
        <translation>send wymaga numeru zamówienia i --template NAZWA (zob. templates list)</translation>
    </message>
    <message>
        <source>No SMS gateway is configured: use sms account add.</source>
        <translation>Nie skonfigurowano bramki SMS: użyj sms account add.</translation>
    </message>
    <message>
        <source>Message %1 not sent yet: %2 It stays queued and is tried again later.</source>
        <translation>Wiadomość %1 nie została jeszcze wysłana: %2 Pozostaje w kolejce i zostanie ponowiona później.</translation>
    </message>
    <message>
        <source>Message %1: %2</source>
        <translation>Wiadomość %1: %2</translation>
    </message>
    <message>
        <source>sms account add needs --url URL and the token on standard input with --token-stdin</source>
        <translation>sms account add wymaga --url URL i tokenu na standardowym wejściu z --token-stdin</translation>
    </message>
    <message>
        <source>SMS gateway %1 saved.</source>
        <translation>Zapisano bramkę SMS %1.</translation>
    </message>
    <message>
        <source>Order %1 confirmed by the buyer's link.</source>
        <translation>Zamówienie %1 potwierdzone linkiem przez kupującego.</translation>
    </message>
    <message>
        <source>confirm needs an order ID (or --token T)</source>
        <translation>confirm wymaga numeru zamówienia (albo --token T)</translation>
    </message>
    <message>
        <source>Confirmation request queued as message %1.</source>
        <translation>Prośbę o potwierdzenie dodano do kolejki jako wiadomość %1.</translation>
    </message>
    <message>
        <source>templates needs list or show</source>
        <translation>templates wymaga list lub show</translation>
    </message>
    <message>
        <source>templates show needs a template name</source>
        <translation>templates show wymaga nazwy szablonu</translation>
    </message>
    <message>
        <source>Language: %1</source>
        <translation>Język: %1</translation>
    </message>
    <message>
        <source>Subject: %1</source>
        <translation>Temat: %1</translation>
    </message>
    <message numerus="yes">
        <source>SMS (%1 characters, %2, %n part(s)): </source>
        <translation>
            <numerusform>SMS (znaków: %1, %2, %n część): </numerusform>
            <numerusform>SMS (znaków: %1, %2, %n części): </numerusform>
            <numerusform>SMS (znaków: %1, %2, %n części): </numerusform>
        </translation>
    </message>
    <message>
        <source>SMS: %1</source>
        <translation>SMS: %1</translation>
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
        <translation>  mail account add --host H --port P --security none|ssl|starttls --from ADRES [--from-name NAZWA]
       [--user U --password-stdin] [--store KONTO] [--ca-file PEM] [--timeout S]
                                           dodaj konto nadawcy (hasło do magazynu sekretów)
  mail account list                        lista kont pocztowych
  mail test --to ADRES [--account ID]      wyślij e-mail testowy
  mail shop [--name N] [--email E] [--phone P] [--url U] [--sms-on-status|--no-sms-on-status]
                                           dane sklepu w wiadomościach; SMS przy zmianie statusu
  mail send ZAMÓWIENIE --template T [--to ADRES] [--language pl|en]   wyślij e-mail do kupującego teraz
  sms account add --url URL [--sender NAZWA] --token-stdin   ustaw bramkę SMS (SMSAPI)
  sms send ZAMÓWIENIE --template T [--to TELEFON]   wyślij SMS do kupującego teraz
  messages list [--order ZAMÓWIENIE] [--limit N] [--json]   wiadomości wysłane i w kolejce
  confirm ZAMÓWIENIE [--request | --by-hand | --by-reply]   potwierdzenie zamówienia: poproś (ponownie), potwierdź lub pokaż
  confirm --token T                        potwierdź zamówienie, którego link zawiera token T
  templates list                           szablony wiadomości
  templates show T [--language pl|en] [--order ZAMÓWIENIE]   szablon albo jego podgląd na zamówieniu
</translation>
    </message>
    <message>
        <source>mail needs account add, account list, shop, test or send</source>
        <translation>mail wymaga account add, account list, shop, test lub send</translation>
    </message>
    <message>
        <source>sms needs account add or send</source>
        <translation>sms wymaga account add lub send</translation>
    </message>
    <message>
        <source>messages needs list</source>
        <translation>messages wymaga list</translation>
    </message>
    <message>
        <source>%1 was made before.</source>
        <translation>%1 został utworzony wcześniej.</translation>
    </message>
    <message>
        <source>%1 posted.</source>
        <translation>Zaksięgowano %1.</translation>
    </message>
    <message>
        <source>products add needs SKU and NAME</source>
        <translation>products add wymaga SKU i NAZWY</translation>
    </message>
    <message>
        <source>--weight takes grams as a whole number</source>
        <translation>--weight przyjmuje gramy jako liczbę całkowitą</translation>
    </message>
    <message>
        <source>--size takes LENGTHxWIDTHxHEIGHT in millimetres, e.g. 300x200x150</source>
        <translation>--size przyjmuje DŁUGOŚĆxSZEROKOŚĆxWYSOKOŚĆ w milimetrach, np. 300x200x150</translation>
    </message>
    <message>
        <source>Product %1 added.</source>
        <translation>Dodano produkt %1.</translation>
    </message>
    <message>
        <source>products show needs a SKU</source>
        <translation>products show wymaga SKU</translation>
    </message>
    <message>
        <source>SKU: %1</source>
        <translation>SKU: %1</translation>
    </message>
    <message>
        <source>EAN: %1</source>
        <translation>EAN: %1</translation>
    </message>
    <message>
        <source>Name: %1</source>
        <translation>Nazwa: %1</translation>
    </message>
    <message>
        <source>VAT: %1</source>
        <translation>VAT: %1</translation>
    </message>
    <message>
        <source>Purchase price: %1 %2</source>
        <translation>Cena zakupu: %1 %2</translation>
    </message>
    <message>
        <source>Weight: %1 g, size: %2 x %3 x %4 mm</source>
        <translation>Waga: %1 g, wymiary: %2 x %3 x %4 mm</translation>
    </message>
    <message>
        <source>Stock: %1, reserved: %2</source>
        <translation>Stan: %1, zarezerwowano: %2</translation>
    </message>
    <message>
        <source>warehouses add needs CODE and optionally NAME</source>
        <translation>warehouses add wymaga KODU i opcjonalnie NAZWY</translation>
    </message>
    <message>
        <source>Warehouse %1 added.</source>
        <translation>Dodano magazyn %1.</translation>
    </message>
    <message>
        <source>default</source>
        <translation>domyślny</translation>
    </message>
    <message>
        <source>warehouses needs a subcommand: add, list</source>
        <translation>warehouses wymaga polecenia: add, list</translation>
    </message>
    <message>
        <source>end</source>
        <translation>zakończ</translation>
    </message>
    <message>
        <source>failed:</source>
        <translation>błąd:</translation>
    </message>
    <message>
        <source>stock %1 needs SKU and a whole QUANTITY</source>
        <translation>stock %1 wymaga SKU i całkowitej ILOŚCI</translation>
    </message>
    <message>
        <source>stock show needs a SKU</source>
        <translation>stock show wymaga SKU</translation>
    </message>
    <message>
        <source>Total: %1, reserved: %2, free: %3</source>
        <translation>Razem: %1, zarezerwowano: %2, wolne: %3</translation>
    </message>
    <message numerus="yes">
        <source>%n order event(s) read.</source>
        <translation>
            <numerusform>Odczytano %n zdarzenie zamówień.</numerusform>
            <numerusform>Odczytano %n zdarzenia zamówień.</numerusform>
            <numerusform>Odczytano %n zdarzeń zamówień.</numerusform>
        </translation>
    </message>
    <message>
        <source>stock settings takes nothing, or KEY VALUE</source>
        <translation>stock settings przyjmuje nic albo KLUCZ WARTOŚĆ</translation>
    </message>
    <message>
        <source>warning:</source>
        <translation>uwaga:</translation>
    </message>
    <message>
        <source>The held stock sync was dismissed.</source>
        <translation>Wstrzymaną synchronizację stanów odrzucono.</translation>
    </message>
    <message>
        <source>waits for the operator (sellerdesk-cli stock sync release | dismiss):</source>
        <translation>czeka na operatora (sellerdesk-cli stock sync release | dismiss):</translation>
    </message>
    <message>
        <source>nothing is held</source>
        <translation>nic nie jest wstrzymane</translation>
    </message>
    <message>
        <source>local %1, marketplace %2</source>
        <translation>lokalnie %1, w serwisie %2</translation>
    </message>
    <message>
        <source>stock sync %1 needs an OFFER</source>
        <translation>stock sync %1 wymaga OFERTY</translation>
    </message>
    <message>
        <source>stock sync takes run, status, release, dismiss, conflicts, take-local OFFER or take-marketplace OFFER</source>
        <translation>stock sync przyjmuje run, status, release, dismiss, conflicts, take-local OFERTA albo take-marketplace OFERTA</translation>
    </message>
    <message>
        <source>stock needs a subcommand: receive, issue, transfer, count, show, documents, reservations, settings, sync</source>
        <translation>stock wymaga polecenia: receive, issue, transfer, count, show, documents, reservations, settings, sync</translation>
    </message>
    <message>
        <source>--linked and --sync take yes or no</source>
        <translation>--linked i --sync przyjmują yes albo no</translation>
    </message>
    <message>
        <source>sync</source>
        <translation>synchronizacja</translation>
    </message>
    <message>
        <source>offers link needs OFFER and SKU</source>
        <translation>offers link wymaga OFERTY i SKU</translation>
    </message>
    <message>
        <source>Offer %1 is linked to %2.</source>
        <translation>Oferta %1 jest powiązana z %2.</translation>
    </message>
    <message>
        <source>offers sync needs enable or disable and at least one OFFER</source>
        <translation>offers sync wymaga enable albo disable i co najmniej jednej OFERTY</translation>
    </message>
    <message>
        <source>refused:</source>
        <translation>odmowa:</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n offer(s) read.</source>
        <translation>
            <numerusform>%1: odczytano %n ofertę.</numerusform>
            <numerusform>%1: odczytano %n oferty.</numerusform>
            <numerusform>%1: odczytano %n ofert.</numerusform>
        </translation>
    </message>
    <message>
        <source>offers %1 needs one OFFER</source>
        <translation>offers %1 wymaga jednej OFERTY</translation>
    </message>
    <message>
        <source>Offer %1: ending was sent.</source>
        <translation>Oferta %1: wysłano zakończenie.</translation>
    </message>
    <message>
        <source>Offer %1: resuming was sent.</source>
        <translation>Oferta %1: wysłano wznowienie.</translation>
    </message>
    <message>
        <source>offers needs a subcommand: list, refresh, link, sync, end, resume</source>
        <translation>offers wymaga polecenia: list, refresh, link, sync, end, resume</translation>
    </message>
    <message>
        <source>--offers takes a whole number above zero</source>
        <translation>--offers przyjmuje liczbę całkowitą większą od zera</translation>
    </message>
    <message>
        <source>The training marketplace did not start.</source>
        <translation>Serwis szkoleniowy nie wystartował.</translation>
    </message>
    <message numerus="yes">
        <source>Preparing %n offer(s) and product(s)...</source>
        <translation>
            <numerusform>Przygotowanie %n oferty i produktu...</numerusform>
            <numerusform>Przygotowanie %n ofert i produktów...</numerusform>
            <numerusform>Przygotowanie %n ofert i produktów...</numerusform>
        </translation>
    </message>
    <message>
        <source>offers: %1, updated: %2, failed: %3, commands: %4</source>
        <translation>oferty: %1, zaktualizowane: %2, błędy: %3, polecenia: %4</translation>
    </message>
    <message>
        <source>one stock change to its command sent: %1 ms (debounce %2 ms; target &lt; 1000 ms, ratio %3)</source>
        <translation>od jednej zmiany stanu do wysłania polecenia: %1 ms (zwłoka %2 ms; cel &lt; 1000 ms, stosunek %3)</translation>
    </message>
    <message>
        <source>%1 changed offers: first command after %2 ms, all in line after %3 ms (target &lt; 10000 ms, ratio %4)</source>
        <translation>zmienione oferty: %1; pierwsze polecenie po %2 ms, wszystkie zgodne po %3 ms (cel &lt; 10000 ms, stosunek %4)</translation>
    </message>
    <message>
        <source>cannot start %1</source>
        <translation>nie można uruchomić %1</translation>
    </message>
    <message>
        <source>%1 did not start</source>
        <translation>%1 nie wystartował</translation>
    </message>
    <message>
        <source>%1 is missing: the bench runs it headless</source>
        <translation>brak %1: test uruchamia go bez okna</translation>
    </message>
    <message>
        <source>The bench's files are kept in %1</source>
        <translation>Pliki testu zachowano w %1</translation>
    </message>
    <message>
        <source>cannot listen on 127.0.0.1</source>
        <translation>nie można nasłuchiwać na 127.0.0.1</translation>
    </message>
    <message>
        <source>cannot write %1</source>
        <translation>nie można zapisać %1</translation>
    </message>
    <message>
        <source>the training marketplace did not list its orders</source>
        <translation>szkoleniowy serwis nie podał listy swoich zamówień</translation>
    </message>
    <message>
        <source>time: %1 s</source>
        <translation>czas: %1 s</translation>
    </message>
    <message>
        <source>kills survived: %1 of %2</source>
        <translation>przetrwane zabicia: %1 z %2</translation>
    </message>
    <message>
        <source>invoices: %1 (orders with two: %2; gaps in the numbers: %3)</source>
        <translation>faktury: %1 (zamówienia z dwiema: %2; luki w numeracji: %3)</translation>
    </message>
    <message>
        <source>receipts: %1 printed, %2 in the printer's journal, %3 interrupted and left to the operator</source>
        <translation>paragony: %1 wydrukowanych, %2 w dzienniku drukarki, %3 przerwanych i pozostawionych operatorowi</translation>
    </message>
    <message>
        <source>e-mails: %1 sent, %2 received (same Message-ID twice: %3), %4 interrupted and left to the operator</source>
        <translation>e-maile: %1 wysłanych, %2 odebranych (ten sam Message-ID dwa razy: %3), %4 przerwanych i pozostawionych operatorowi</translation>
    </message>
    <message>
        <source>URL calls: %1 keys, %2 repeated with the same Idempotency-Key after a kill</source>
        <translation>wywołania URL: %1 kluczy, %2 powtórzonych z tym samym Idempotency-Key po zabiciu</translation>
    </message>
    <message>
        <source>documents refused with a reason (in the execution log): %1</source>
        <translation>dokumenty odrzucone z podaniem przyczyny (w dzienniku wykonań): %1</translation>
    </message>
    <message>
        <source>jobs still waiting for a retry: %1</source>
        <translation>zadania wciąż czekające na ponowienie: %1</translation>
    </message>
    <message>
        <source>lost = %1, duplicates = %2</source>
        <translation>utracone = %1, zdublowane = %2</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktywny</translation>
    </message>
    <message>
        <source>switched off</source>
        <translation>wyłączony</translation>
    </message>
    <message>
        <source>No users: this profile runs as the implicit administrator without a login.</source>
        <translation>Brak użytkowników: ten profil działa jako domyślny administrator, bez logowania.</translation>
    </message>
    <message>
        <source>users %1 needs exactly one NAME</source>
        <translation>users %1 wymaga dokładnie jednej NAZWY</translation>
    </message>
    <message>
        <source>users add needs --role ROLE (see roles list)</source>
        <translation>users add wymaga --role ROLA (zob. roles list)</translation>
    </message>
    <message>
        <source>User %1 added with the role %2.</source>
        <translation>Dodano użytkownika %1 z rolą %2.</translation>
    </message>
    <message>
        <source>The password of %1 was changed.</source>
        <translation>Hasło użytkownika %1 zostało zmienione.</translation>
    </message>
    <message>
        <source>users needs a subcommand: add, list or passwd</source>
        <translation>users wymaga polecenia: add, list lub passwd</translation>
    </message>
    <message>
        <source>roles add needs exactly one NAME</source>
        <translation>roles add wymaga dokładnie jednej NAZWY</translation>
    </message>
    <message>
        <source>unknown permission %1; see roles list</source>
        <translation>nieznane uprawnienie %1; zob. roles list</translation>
    </message>
    <message>
        <source>Role %1 added.</source>
        <translation>Dodano rolę %1.</translation>
    </message>
    <message>
        <source>roles needs a subcommand: list or add</source>
        <translation>roles wymaga polecenia: list lub add</translation>
    </message>
    <message>
        <source>backup needs create FILE or restore FILE</source>
        <translation>backup wymaga create PLIK lub restore PLIK</translation>
    </message>
    <message>
        <source>A PostgreSQL database is backed up with pg_dump (see docs/deployment.md).</source>
        <translation>Kopię zapasową bazy PostgreSQL wykonuje się narzędziem pg_dump (zob. docs/deployment.md).</translation>
    </message>
    <message>
        <source>Backup written to %1 (%2 pages, %3 bytes).</source>
        <translation>Kopia zapasowa zapisana w %1 (stron: %2, bajtów: %3).</translation>
    </message>
    <message>
        <source>Backup %1 restored (%2 pages).</source>
        <translation>Przywrócono kopię zapasową %1 (stron: %2).</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>BŁĄD</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Baza danych</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>This profile has users and this workstation (%1) has no automatic login: pass --user NAME (the password from SD_PASSWORD or stdin).</source>
        <translation>Ten profil ma użytkowników, a to stanowisko (%1) nie ma automatycznego logowania: podaj --user NAZWA (hasło z SD_PASSWORD lub ze standardowego wejścia).</translation>
    </message>
    <message>
        <source>selftest takes no arguments</source>
        <translation>selftest nie przyjmuje argumentów</translation>
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
        <translation>  --user NAZWA                             (globalna) praca jako NAZWA; hasło z SD_PASSWORD lub stdin
  users list                               użytkownicy profilu i ich role
  users add NAZWA --role ROLA              dodaje użytkownika (hasło z SD_NEW_PASSWORD lub stdin)
  users passwd NAZWA                       ustawia hasło (z SD_NEW_PASSWORD lub stdin)
  roles list                               role i ich uprawnienia
  roles add NAZWA --permissions KLUCZ,...  własna rola
  backup create PLIK                       spójna kopia profilu SQLite, także w trakcie pracy
  backup restore PLIK                      zastępuje profil kopią zapasową (najpierw ją sprawdza)
  selftest                                 sprawdza bazę, pęk kluczy, drukarki i tokeny kont
</translation>
    </message>
    <message>
        <source>%1: median %2 ms, 95th percentile %3 ms, worst %4 ms (%5 scans)   target &lt; 300 ms</source>
        <translation>%1: mediana %2 ms, 95. percentyl %3 ms, najgorszy %4 ms (skanów: %5)   cel &lt; 300 ms</translation>
    </message>
    <message>
        <source>copying the order list benchmark's profile to %1 (once)…</source>
        <translation>kopiuję profil testu wydajności listy zamówień do %1 (jednorazowo)…</translation>
    </message>
    <message>
        <source>Cannot copy %1</source>
        <translation>Nie można skopiować %1</translation>
    </message>
    <message>
        <source>The benchmark profile has no orders.</source>
        <translation>Profil testu wydajności nie ma zamówień.</translation>
    </message>
    <message>
        <source>Order %1 was not found by its marketplace id.</source>
        <translation>Nie znaleziono zamówienia %1 po identyfikatorze z serwisu.</translation>
    </message>
    <message>
        <source>%1 orders in the profile, %2 orders packed by scans</source>
        <translation>zamówień w profilu: %1, spakowanych skanami: %2</translation>
    </message>
    <message>
        <source>order scan (lookup + open the packing)</source>
        <translation>skan zamówienia (wyszukanie + otwarcie pakowania)</translation>
    </message>
    <message>
        <source>item scan (line + session written)</source>
        <translation>skan towaru (pozycja + zapis sesji)</translation>
    </message>
    <message>
        <source>last item scan (+ order.packed event)</source>
        <translation>skan ostatniego towaru (+ zdarzenie order.packed)</translation>
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
        <translation>Użycie: sellerdesk-cli [--profile FOLDER | --database postgresql://...] POLECENIE [ARGUMENTY]

Opcje ogólne:
  --profile FOLDER       użyj profilu SQLite w FOLDERZE (tworzony, gdy go brak)
  --database URL         użyj wspólnej bazy PostgreSQL
  --user NAZWA           pracuj jako ten użytkownik (hasło z SD_PASSWORD lub ze standardowego wejścia)
  --verbose              wypisuj też szczegóły techniczne błędów
  --version              wypisz wersję
  --help                 wypisz tę pomoc

Polecenia:
  import-orders [--account NAZWA] PLIK...  importuj formularze zamówień Allegro (JSON)
  orders list [--status S] [--search TEKST] [--limit N] [--json]
  orders show NR [--json]                  NR: numer w SellerDesk lub identyfikator z serwisu
  orders history NR [--json]
  orders set-status NR STATUS [--inform]  --inform: powiadom kupującego (w kolejce)
  statuses list [--json]
  statuses add NAZWA [--group new|in-progress|shipped|closed|cancelled] [--color #RRGGBB]
  allegro connect --url URL [--name NAZWA] [--client-id ID]   połącz konto Allegro (autoryzacja urządzenia)
  allegro sync [--account NAZWA]           pobierz zamówienia połączonych kont
  allegro accounts                         wypisz konta Allegro
  ksef settings [--environment test|production|URL] [--nip NIP] [--token-stdin]
                [--on|--off]               środowisko KSeF, NIP sprzedawcy, token (czytany ze standardowego wejścia);
                                           --on: każda wystawiona faktura trafia do KSeF
  ksef send DOK [--wait S]                 wyślij teraz wystawioną fakturę (numer lub id) do KSeF
  ksef status DOK [--json]                 stan dokumentu w KSeF, numer KSeF, UPO lub powód odrzucenia
  rates list|add WAL DATA KURS|fetch WAL [--date D]
                                           kursy NBP do faktur w walutach obcych
  demo [--orders N] [--seed S]             wypełnij profil realistycznymi zamówieniami szkoleniowymi
  bench import [--orders N]                zmierz szybkość importu
  bench list [--orders N]                  zmierz listę zamówień na N zamówieniach (domyślnie 1 000 000)
  bench scan [--orders N] [--samples S]    zmierz czas reakcji stanowiska pakowania na jeden skan
  training serve [--port P] [--state PLIK] [--orders N] [--rate NA_MINUTĘ] [--auto-approve] [--faults SPEC]
                                           uruchom na tym komputerze serwis szkoleniowy
%1%2

Kody wyjścia: 0 powodzenie, 1 błąd, 2 złe użycie.
</translation>
    </message>
    <message>
        <source>USER@WORKSTATION</source>
        <translation>UŻYTKOWNIK@STANOWISKO</translation>
    </message>
    <message>
        <source>bench needs a benchmark name: import, list or scan</source>
        <translation>bench wymaga nazwy testu wydajności: import, list lub scan</translation>
    </message>
    <message>
        <source>rates add needs CURRENCY YYYY-MM-DD RATE</source>
        <translation>rates add wymaga WALUTA RRRR-MM-DD KURS</translation>
    </message>
    <message>
        <source>Rate stored.</source>
        <translation>Zapisano kurs.</translation>
    </message>
    <message>
        <source>rates fetch needs CURRENCY</source>
        <translation>rates fetch wymaga WALUTY</translation>
    </message>
    <message>
        <source>--source is an http(s) address</source>
        <translation>--source to adres http(s)</translation>
    </message>
    <message>
        <source>rates needs a subcommand: list, add or fetch</source>
        <translation>rates wymaga podpolecenia: list, add lub fetch</translation>
    </message>
    <message>
        <source>documents complete needs one ORDER id</source>
        <translation>documents complete wymaga jednego numeru ZAMÓWIENIA</translation>
    </message>
    <message>
        <source>--protocol takes posnet or novitus</source>
        <translation>--protocol przyjmuje posnet lub novitus</translation>
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
        <translation>  fiscal receipt ORDER [--printer ADDR]    drukuje paragon fiskalny zamówienia (nigdy dwa razy)
  fiscal report daily [--date D] [--printer ADDR]   drukuje raport dobowy
  fiscal status [--printer ADDR]           stan drukarki, stawki VAT i liczniki
  fiscal receipts [--state S | --order ORDER]   paragony według stanu (domyślnie: unknown)
  fiscal resolve ORDER --printed [--number N] | --not-printed   odpowiedź dla paragonu o nieznanym stanie
  fiscal simulate [--port P] [--journal FILE] [--faults SPEC] [--vat A=23,B=8,...]
                  [--protocol posnet|novitus]   uruchamia symulator drukarki fiskalnej na tym komputerze
                                           ADDR: tcp://HOST:PORT lub serial:/dev/ttyX, z
                                           ?protocol=novitus dla drukarki Novitus XML
</translation>
    </message>
    <message>
        <source>KSeF queue:</source>
        <translation>Kolejka KSeF:</translation>
    </message>
    <message>
        <source>--on and --off together</source>
        <translation>--on i --off jednocześnie</translation>
    </message>
    <message>
        <source>KSeF: %1</source>
        <translation>KSeF: %1</translation>
    </message>
    <message>
        <source>on (issued invoices are sent)</source>
        <translation>włączony (wystawione faktury są wysyłane)</translation>
    </message>
    <message>
        <source>off</source>
        <translation>wyłączony</translation>
    </message>
    <message>
        <source>ksef status needs one document (its number or id)</source>
        <translation>ksef status wymaga jednego dokumentu (numeru lub id)</translation>
    </message>
    <message>
        <source>ksef send needs one document (its number or id)</source>
        <translation>ksef send wymaga jednego dokumentu (numeru lub id)</translation>
    </message>
    <message>
        <source>Revenue (gross)</source>
        <translation>Przychód (brutto)</translation>
    </message>
    <message>
        <source>VAT</source>
        <translation>VAT</translation>
    </message>
    <message>
        <source>Revenue (net)</source>
        <translation>Przychód (netto)</translation>
    </message>
    <message>
        <source>Purchase cost</source>
        <translation>Koszt zakupu</translation>
    </message>
    <message>
        <source>Marketplace fees (billing)</source>
        <translation>Opłaty serwisu (z rozliczenia)</translation>
    </message>
    <message>
        <source>Marketplace fees (commission table)</source>
        <translation>Opłaty serwisu (z tabeli prowizji)</translation>
    </message>
    <message>
        <source>Courier</source>
        <translation>Kurier</translation>
    </message>
    <message>
        <source>Payment fees</source>
        <translation>Opłaty za płatność</translation>
    </message>
    <message>
        <source>Packaging</source>
        <translation>Pakowanie</translation>
    </message>
    <message>
        <source>Profit</source>
        <translation>Zysk</translation>
    </message>
    <message>
        <source>Problem: %1</source>
        <translation>Problem: %1</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Uwaga: %1</translation>
    </message>
    <message>
        <source>profit needs one order (its number or marketplace id)</source>
        <translation>profit wymaga jednego zamówienia (jego numeru lub numeru w serwisie)</translation>
    </message>
    <message>
        <source>Held by the loss guard since %1: %2</source>
        <translation>Zatrzymane przez ochronę przed stratą od %1: %2</translation>
    </message>
    <message>
        <source>Loss guard released %1 by %2: %3</source>
        <translation>Ochronę przed stratą zwolniono %1, zwolnił(a) %2: %3</translation>
    </message>
    <message>
        <source>profit release needs one order and --reason TEXT</source>
        <translation>profit release wymaga jednego zamówienia i --reason TEKST</translation>
    </message>
    <message>
        <source>Order %1 may be completed now (released by %2).</source>
        <translation>Zamówienie %1 może być teraz zakończone (zwolnił(a) %2).</translation>
    </message>
    <message>
        <source>No order is held by the loss guard.</source>
        <translation>Żadne zamówienie nie jest zatrzymane przez ochronę przed stratą.</translation>
    </message>
    <message>
        <source>held</source>
        <translation>zatrzymane</translation>
    </message>
    <message>
        <source>released: %1</source>
        <translation>zwolnione: %1</translation>
    </message>
    <message>
        <source>report needs sales</source>
        <translation>report wymaga sales</translation>
    </message>
    <message>
        <source>report sales needs --from and --to as YYYY-MM-DD</source>
        <translation>report sales wymaga --from i --to w postaci RRRR-MM-DD</translation>
    </message>
    <message>
        <source>--by is day, week or month</source>
        <translation>--by to day, week lub month</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>nie można zapisać %1: %2</translation>
    </message>
    <message>
        <source>%1 pcs</source>
        <translation>%1 szt.</translation>
    </message>
    <message>
        <source>%1 orders</source>
        <translation>zamówienia: %1</translation>
    </message>
    <message>
        <source>Sales %1 – %2 (%3): gross, profit</source>
        <translation>Sprzedaż %1 – %2 (%3): brutto, zysk</translation>
    </message>
    <message>
        <source>Per period</source>
        <translation>Według okresu</translation>
    </message>
    <message>
        <source>Per channel</source>
        <translation>Według kanału</translation>
    </message>
    <message>
        <source>Per product</source>
        <translation>Według produktu</translation>
    </message>
    <message>
        <source>%1 orders in other currencies are not included (use --currency).</source>
        <translation>Nie uwzględniono zamówień w innych walutach: %1 (użyj --currency).</translation>
    </message>
    <message>
        <source>money set needs KEY VALUE</source>
        <translation>money set wymaga KLUCZ WARTOŚĆ</translation>
    </message>
    <message>
        <source>Saved; profits are recomputed as they are read.</source>
        <translation>Zapisano; zyski są przeliczane przy odczycie.</translation>
    </message>
    <message>
        <source>Recomputed the profit of %1 orders.</source>
        <translation>Przeliczono zysk zamówień: %1.</translation>
    </message>
    <message>
        <source>--weight (grams) and --quantity are whole numbers</source>
        <translation>--weight (gramy) i --quantity to liczby całkowite</translation>
    </message>
    <message>
        <source>money needs show, set, recompute or shipping-quote</source>
        <translation>money wymaga show, set, recompute lub shipping-quote</translation>
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
        <translation>  profit ZAMÓWIENIE [--json]               zysk zamówienia: przychód netto minus koszty
  profit release ZAMÓWIENIE --reason TEKST pozwól zakończyć zamówienie zatrzymane przez ochronę przed stratą
  profit holds [--all] [--json]            zamówienia zatrzymane przez ochronę przed stratą
  report sales --from D --to D [--by day|week|month] [--currency C] [--csv PLIK] [--json]
                                           sprzedaż i zysk według okresu, kanału i produktu
  money show                               ustawienia finansowe (JSON)
  money set KLUCZ WARTOŚĆ                  commission.default 12.5, commission.allegro-pl 9,
                                           packaging 1.50, payment.CASH_ON_DELIVERY 3+1.5%,
                                           courier.default 12, courier.NAZWA 10, lossGuard on|off,
                                           minProfit 0, adminEmail A, shipping.base|perKg|
                                           perExtraItem|cod|freeAbove KWOTA, shipping.zone.KK KWOTA,
                                           shipping.pickup "Metoda, ..."
  money recompute                          przelicz zysk wszystkich zamówień (po zmianie cen)
  money shipping-quote [--weight G] [--quantity N] [--country KK] [--payment METODA] [--value W]
       [--method DOSTAWA] [--json]         ile nalicza formuła kosztu wysyłki
</translation>
    </message>
    <message>
        <source>several nodes share one PostgreSQL database: give --postgres URL</source>
        <translation>kilka węzłów dzieli jedną bazę PostgreSQL: podaj --postgres URL</translation>
    </message>
    <message>
        <source>the database at --postgres already holds orders: give the bench an empty one</source>
        <translation>baza podana w --postgres zawiera już zamówienia: podaj benchmarkowi pustą</translation>
    </message>
    <message>
        <source>chaos: %1 kills of %2 sellerdesk --headless node(s) on %3 while the training marketplace sells %4 orders a minute (faults: %5)</source>
        <translation>chaos: %1 zabić %2 węzła(-ów) sellerdesk --headless na %3, gdy szkoleniowy marketplace sprzedaje %4 zamówień na minutę (awarie: %5)</translation>
    </message>
    <message>
        <source>SQLite</source>
        <translation>SQLite</translation>
    </message>
    <message>
        <source>PostgreSQL</source>
        <translation>PostgreSQL</translation>
    </message>
    <message>
        <source>a node ended by itself with code %1 before it was killed</source>
        <translation>węzeł zakończył się sam z kodem %1, zanim został zabity</translation>
    </message>
    <message>
        <source>the training marketplace did not end the fault storm</source>
        <translation>szkoleniowy marketplace nie zakończył burzy awarii</translation>
    </message>
    <message>
        <source>orders: %1 on the marketplace, %2 stored (stored twice: %3)</source>
        <translation>zamówienia: %1 w marketplace, %2 zapisanych (zapisanych dwukrotnie: %3)</translation>
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
        <translation>  company set --name N --nip NIP --street S --postcode P --city C [--bank-account IBAN] [--email E]
              [--phone P] [--logo PLIK]   sprzedawca na każdym dokumencie; company show [--json]
  series list [--json]                    serie numeracji
  series add NAZWA --pattern P [--type vat|private|receipt-invoice|correction|proforma]
             [--reset never|yearly|monthly] [--default]   P: np. FV/{n}/{MM}/{YYYY}
  invoice issue ZAMÓWIENIE [--series S] [--type vat|private|receipt-invoice|proforma] [--offline] [--date D]
                [--pdf PLIK] [--xml PLIK]
  invoice correct DOK --reason R [--quantity POZ=IL,...] [--price POZ=CENA,...] [--all] [--pdf P] [--xml P]
  invoice cancel DOK [--reason R]        szkic albo faktura, której KSeF jeszcze nie widział
  invoice auto                            zafakturuj zamówienia pobrane od ostatniego razu (D1)
  documents list [--state S] [--type T] [--order ID] [--search TEKST] [--limit N] [--json]
  documents show DOK [--json] [--pdf PLIK] [--xml PLIK]
  documents complete ZAMÓWIENIE [--pdf FOLDER]  list przewozowy, faktura (gdy chciana), karta gwarancyjna (D6)
  documents settings [--auto-invoice on|off] [--private-persons on|off] [--shipping-vat highest|23|8|5|0]
                     [--oss on|off] [--oss-rate DE=19,...] [--payment-days N] [--auto-series S]
                     [--completion on|off] [--nbp-url URL]   D6 po zakończeniu; gdzie rates fetch pyta NBP
</translation>
    </message>
    <message>
        <source>Sales %1 – %2 (%3): gross</source>
        <translation>Sprzedaż %1 – %2 (%3): brutto</translation>
    </message>
    <message>
        <source>Profit is not shown: your role may not see profit.</source>
        <translation>Zysk nie jest pokazany: Twoja rola nie pozwala oglądać zysku.</translation>
    </message>
    <message>
        <source>Return %1 (order %2): %3</source>
        <translation>Zwrot %1 (zamówienie %2): %3</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>Powód: %1</translation>
    </message>
    <message>
        <source>Accepted after the term: %1</source>
        <translation>Przyjęty po terminie: %1</translation>
    </message>
    <message>
        <source>From %1: %2</source>
        <translation>Z %1: %2</translation>
    </message>
    <message>
        <source>Received into %1 (%2)</source>
        <translation>Przyjęty do magazynu %1 (%2)</translation>
    </message>
    <message>
        <source>no stock product</source>
        <translation>brak produktu magazynowego</translation>
    </message>
    <message>
        <source>Refund: %1</source>
        <translation>Zwrot pieniędzy: %1</translation>
    </message>
    <message>
        <source>by the seller, outside the marketplace</source>
        <translation>przez sprzedawcę, poza serwisem</translation>
    </message>
    <message>
        <source>Correction invoice: %1</source>
        <translation>Faktura korygująca: %1</translation>
    </message>
    <message>
        <source>Attachment: %1 (%2, %3 bytes)</source>
        <translation>Załącznik: %1 (%2, %3 bajtów)</translation>
    </message>
    <message>
        <source>Next: %1</source>
        <translation>Dalej: %1</translation>
    </message>
    <message>
        <source>returns add needs one order and at least one --item SKU:QTY</source>
        <translation>returns add wymaga jednego zamówienia i co najmniej jednego --item SKU:ILOŚĆ</translation>
    </message>
    <message>
        <source>--item is SKU:QTY (or #LINE:QTY), not %1</source>
        <translation>--item ma postać SKU:ILOŚĆ (albo #POZYCJA:ILOŚĆ), a nie %1</translation>
    </message>
    <message>
        <source>Return %1 registered (id %2).</source>
        <translation>Zarejestrowano zwrot %1 (id %2).</translation>
    </message>
    <message>
        <source>--state is one of registered, received, inspected, refunded, replaced, repaired, rejected</source>
        <translation>--state to jedno z: registered, received, inspected, refunded, replaced, repaired, rejected</translation>
    </message>
    <message>
        <source>No returns.</source>
        <translation>Brak zwrotów.</translation>
    </message>
    <message numerus="yes">
        <source>%n unit(s)</source>
        <translation>
            <numerusform>%n sztuka</numerusform>
            <numerusform>%n sztuki</numerusform>
            <numerusform>%n sztuk</numerusform>
        </translation>
    </message>
    <message>
        <source>returns show needs one return (its id or number)</source>
        <translation>returns show wymaga jednego zwrotu (jego id albo numeru)</translation>
    </message>
    <message>
        <source>returns advance needs a return and a state</source>
        <translation>returns advance wymaga zwrotu i stanu</translation>
    </message>
    <message>
        <source>%1 is not a return state (registered, received, inspected, refunded, replaced, repaired, rejected)</source>
        <translation>%1 nie jest stanem zwrotu (registered, received, inspected, refunded, replaced, repaired, rejected)</translation>
    </message>
    <message>
        <source>returns attach needs a return and a file</source>
        <translation>returns attach wymaga zwrotu i pliku</translation>
    </message>
    <message>
        <source>Attached %1 to return %2.</source>
        <translation>Dołączono %1 do zwrotu %2.</translation>
    </message>
    <message>
        <source>--account is the account's number (allegro accounts)</source>
        <translation>--account to numer konta (allegro accounts)</translation>
    </message>
    <message>
        <source>No connected Allegro account.</source>
        <translation>Brak połączonego konta Allegro.</translation>
    </message>
    <message>
        <source>Account %1: %2</source>
        <translation>Konto %1: %2</translation>
    </message>
    <message>
        <source>Account %1: %2 customer returns read, %3 new, %4 known.</source>
        <translation>Konto %1: odczytano zwrotów klientów: %2, nowych: %3, znanych: %4.</translation>
    </message>
    <message>
        <source>returns settings set needs KEY VALUE</source>
        <translation>returns settings set wymaga KLUCZ WARTOŚĆ</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Zapisano.</translation>
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
        <translation>  returns add ZAMÓWIENIE --item SKU:ILOŚĆ [--item ...] --reason TEKST [--late-reason TEKST] [--attach PLIK]...
                                           zarejestruj zwrot (RMA) produktów z zamówienia
  returns list [--state S] [--order ZAMÓWIENIE] [--open] [--json]
                                           zwroty, od najnowszego
  returns show ID|NUMER [--json]           jeden zwrot z produktami i załącznikami
  returns advance ID STAN [--warehouse M] [--refund] [--correction] [--json]
                                           przesuń zwrot dalej: received (towar wraca do magazynu M),
                                           inspected, refunded (--refund: przez Allegro; --correction:
                                           faktura korygująca), replaced, repaired, rejected
  returns attach ID PLIK                   dodaj zdjęcie albo plik do zwrotu
  returns import [--account N]             zwroty klientów z Allegro stają się zwrotami, jednokrotnie
  returns settings [show | set KLUCZ WART] termDays 14, termFrom purchase|shipment, warehouse KOD,
                                           informBuyer on|off
</translation>
    </message>
    <message>
        <source>returns needs add, list, show, advance, attach, import or settings</source>
        <translation>returns wymaga add, list, show, advance, attach, import albo settings</translation>
    </message>
    <message>
        <source>--%1 needs a date as YYYY-MM-DD, not "%2"</source>
        <translation>--%1 wymaga daty w postaci RRRR-MM-DD, a nie „%2”</translation>
    </message>
    <message>
        <source>service add takes options only (--order ID or --product NAME --buyer NAME ...)</source>
        <translation>service add przyjmuje tylko opcje (--order ID albo --product NAZWA --buyer NAZWISKO ...)</translation>
    </message>
    <message>
        <source>--line needs the line's number (1, 2, ...)</source>
        <translation>--line wymaga numeru pozycji (1, 2, ...)</translation>
    </message>
    <message>
        <source>Service case %1 registered: %2</source>
        <translation>Zarejestrowano zgłoszenie serwisowe %1: %2</translation>
    </message>
    <message>
        <source>No service cases.</source>
        <translation>Brak zgłoszeń serwisowych.</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>po terminie</translation>
    </message>
    <message>
        <source>"%1" is not a service case number.</source>
        <translation>„%1” nie jest numerem zgłoszenia serwisowego.</translation>
    </message>
    <message>
        <source>service show needs one case number</source>
        <translation>service show wymaga jednego numeru zgłoszenia</translation>
    </message>
    <message>
        <source>Service case</source>
        <translation>Zgłoszenie serwisowe</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Zamówienie</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>Numer seryjny</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Serwis</translation>
    </message>
    <message>
        <source>Expected back</source>
        <translation>Powrót z serwisu</translation>
    </message>
    <message>
        <source>Warranty until</source>
        <translation>Gwarancja do</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>Następne</translation>
    </message>
    <message>
        <source>Timeline:</source>
        <translation>Przebieg:</translation>
    </message>
    <message>
        <source>service advance needs a case number and a state (%1)</source>
        <translation>service advance wymaga numeru zgłoszenia i stanu (%1)</translation>
    </message>
    <message>
        <source>unknown service state "%1" (known: %2)</source>
        <translation>nieznany stan zgłoszenia „%1” (znane: %2)</translation>
    </message>
    <message>
        <source>Service case %1: %2</source>
        <translation>Zgłoszenie serwisowe %1: %2</translation>
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
        <translation>  service add --order ID [--line N] | --product NAZWA --buyer NAZWISKO [--email E] [--phone T]
       [--serial S] [--problem TEKST] [--service NAZWA] [--expected RRRR-MM-DD]
       [--warranty-end RRRR-MM-DD] [--language pl|en] [--json]
                                           zarejestruj zgłoszenie gwarancyjne / serwisowe
  service list [--state S] [--open] [--order ID] [--search TEKST] [--json]
  service show ZGŁOSZENIE [--json]         zgłoszenie z jego przebiegiem
  service advance ZGŁOSZENIE STAN [--note TEKST] [--expected RRRR-MM-DD]
                                           stany: registered, sent, at-service, returned,
                                           handed-back, replaced, rejected (kupujący dostaje wiadomość)
</translation>
    </message>
    <message>
        <source>service needs a subcommand: add, list, show, advance</source>
        <translation>service wymaga polecenia: add, list, show, advance</translation>
    </message>
    <message>
        <source>products set-price needs SKU and PRICE</source>
        <translation>products set-price wymaga SKU i CENY</translation>
    </message>
    <message>
        <source>Purchase price of %1: %2 %3; the profits of its orders are recomputed as they are read.</source>
        <translation>Cena zakupu %1: %2 %3; zysk jego zamówień zostanie przeliczony przy odczycie.</translation>
    </message>
    <message>
        <source>products needs a subcommand: add, list, show, set-price</source>
        <translation>products wymaga polecenia: add, list, show, set-price</translation>
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
        <translation>  products add SKU NAZWA [--ean EAN] [--vat 23] [--price 12.50] [--weight G] [--size DxSxW]
               [--location PÓŁKA] [--serial]   półka na listach kompletacyjnych; --serial: pakowanie pyta o numery seryjne
  products list [--json] | show SKU
  products set-price SKU CENA              nowa cena zakupu (netto); zysk zamówień z produktem idzie za nią
  warehouses add KOD [NAZWA] [--default] | list
  stock receive|issue|count SKU ILOŚĆ [--warehouse M]  dokument PZ, WZ lub inwentaryzacji
  stock transfer SKU ILOŚĆ --warehouse Z --to DO       dokument MM
  stock show SKU | documents | reservations | settings [KLUCZ WARTOŚĆ]
  stock sync [run|status|release|dismiss|conflicts|take-local OFERTA|take-marketplace OFERTA]
  offers refresh [--account K] | list [--json] [--linked yes|no] [--sync yes|no] [--format F]
         [--status S] | link OFERTA SKU | sync enable|disable OFERTA... | end|resume OFERTA
  bench sync [--offers N]                w porównaniu z serwisem szkoleniowym w tym procesie
</translation>
    </message>
</context>
<context>
    <name>sd::devices::fiscal</name>
    <message>
        <source>The fiscal printer has no VAT rate %1% for "%2" (its rates: %3). Ask the service to program the rate table.</source>
        <translation>Drukarka fiskalna nie ma stawki VAT %1% dla „%2” (jej stawki: %3). Poproś serwis o zaprogramowanie tabeli stawek.</translation>
    </message>
    <message>
        <source>waiting to be sent</source>
        <translation>czeka na wysłanie</translation>
    </message>
    <message>
        <source>being printed (or interrupted)</source>
        <translation>w trakcie drukowania (lub przerwany)</translation>
    </message>
    <message>
        <source>printed</source>
        <translation>wydrukowany</translation>
    </message>
    <message>
        <source>not printed</source>
        <translation>niewydrukowany</translation>
    </message>
    <message>
        <source>unknown: check the printer's journal</source>
        <translation>nieznany: sprawdź kopię elektroniczną drukarki</translation>
    </message>
    <message>
        <source>A fiscal receipt is printed in PLN; this order is in %1.</source>
        <translation>Paragon fiskalny drukuje się w PLN; to zamówienie jest w %1.</translation>
    </message>
    <message>
        <source>The order has no items to put on a receipt.</source>
        <translation>Zamówienie nie ma pozycji, które można umieścić na paragonie.</translation>
    </message>
    <message>
        <source>An item of the order has no name.</source>
        <translation>Pozycja zamówienia nie ma nazwy.</translation>
    </message>
    <message>
        <source>The item "%1" has no price.</source>
        <translation>Pozycja „%1” nie ma ceny.</translation>
    </message>
    <message>
        <source>The order's total (%1) differs from its items and delivery (%2); check the order first.</source>
        <translation>Suma zamówienia (%1) różni się od sumy pozycji i dostawy (%2); najpierw sprawdź zamówienie.</translation>
    </message>
    <message>
        <source>The buyer's NIP cannot go on the receipt: %1</source>
        <translation>NIP nabywcy nie może trafić na paragon: %1</translation>
    </message>
    <message>
        <source>The receipt's record could not be written.</source>
        <translation>Nie udało się zapisać rekordu paragonu.</translation>
    </message>
    <message>
        <source>The order already has fiscal receipt no. %1; it is not printed twice.</source>
        <translation>Zamówienie ma już paragon fiskalny nr %1; nie drukuje się go drugi raz.</translation>
    </message>
    <message>
        <source>Another receipt of this order is %1; resolve it first.</source>
        <translation>Inny paragon tego zamówienia ma stan: %1; najpierw go wyjaśnij.</translation>
    </message>
    <message>
        <source>Whether the receipt was printed is unknown (%1). Check the printer's journal and record the answer; it is not printed again on its own.</source>
        <translation>Nie wiadomo, czy paragon został wydrukowany (%1). Sprawdź kopię elektroniczną drukarki i zapisz odpowiedź; paragon nie zostanie sam wydrukowany ponownie.</translation>
    </message>
    <message>
        <source>The receipt was interrupted and the printer cannot be asked now (%1). It will be checked with the printer before any new attempt.</source>
        <translation>Drukowanie paragonu zostało przerwane, a drukarki nie można teraz zapytać (%1). Przed każdą nową próbą zostanie to sprawdzone w drukarce.</translation>
    </message>
    <message>
        <source>the printer closed other receipts since this one started</source>
        <translation>drukarka zamknęła inne paragony od rozpoczęcia tego</translation>
    </message>
    <message>
        <source>Whether the receipt was printed is unknown: the printer closed other receipts meanwhile. Check its journal and record the answer.</source>
        <translation>Nie wiadomo, czy paragon został wydrukowany: drukarka zamknęła w międzyczasie inne paragony. Sprawdź jej kopię elektroniczną i zapisz odpowiedź.</translation>
    </message>
    <message>
        <source>Another receipt is open at the printer (started on its keypad or by another program). Finish or cancel it there first.</source>
        <translation>W drukarce jest otwarty inny paragon (rozpoczęty z jej klawiatury lub przez inny program). Najpierw go tam zakończ albo anuluj.</translation>
    </message>
    <message>
        <source>This receipt is being printed by %1 right now.</source>
        <translation>Ten paragon drukuje właśnie %1.</translation>
    </message>
    <message>
        <source>Another process took over this receipt just now.</source>
        <translation>Inny proces właśnie przejął ten paragon.</translation>
    </message>
    <message>
        <source>There is no receipt %1.</source>
        <translation>Nie ma paragonu %1.</translation>
    </message>
    <message>
        <source>The receipt is %1; only an unknown one needs an answer.</source>
        <translation>Paragon ma stan: %1; odpowiedzi wymaga tylko paragon o nieznanym stanie.</translation>
    </message>
    <message>
        <source>not printed, as the operator checked</source>
        <translation>niewydrukowany, jak sprawdził operator</translation>
    </message>
    <message>
        <source>The connection to the fiscal printer was lost.</source>
        <translation>Utracono połączenie z drukarką fiskalną.</translation>
    </message>
    <message>
        <source>The fiscal printer at %1 does not answer. Check that it is on and connected.</source>
        <translation>Drukarka fiskalna pod adresem %1 nie odpowiada. Sprawdź, czy jest włączona i podłączona.</translation>
    </message>
    <message>
        <source>The serial port %1 cannot be opened.</source>
        <translation>Nie można otworzyć portu szeregowego %1.</translation>
    </message>
    <message>
        <source>"%1" is not a fiscal printer address; use tcp://HOST:PORT or serial:/dev/ttyX.</source>
        <translation>„%1” nie jest adresem drukarki fiskalnej; użyj tcp://HOST:PORT lub serial:/dev/ttyX.</translation>
    </message>
    <message>
        <source>The baud rate must be between 1200 and 230400.</source>
        <translation>Prędkość transmisji musi wynosić od 1200 do 230400.</translation>
    </message>
    <message>
        <source>The flow control must be none, rtscts or xonxoff.</source>
        <translation>Sterowanie przepływem musi mieć wartość none, rtscts lub xonxoff.</translation>
    </message>
    <message>
        <source>The printer does not know this command (a different protocol or firmware).</source>
        <translation>Drukarka nie zna tego polecenia (inny protokół lub oprogramowanie).</translation>
    </message>
    <message>
        <source>A required field was missing in the command sent to the printer.</source>
        <translation>W poleceniu wysłanym do drukarki zabrakło wymaganego pola.</translation>
    </message>
    <message>
        <source>The printer could not read a value in the command (format or range).</source>
        <translation>Drukarka nie mogła odczytać wartości w poleceniu (format lub zakres).</translation>
    </message>
    <message>
        <source>The printer refused the command's token.</source>
        <translation>Drukarka odrzuciła token polecenia.</translation>
    </message>
    <message>
        <source>The printer received a damaged frame (wrong checksum). Check the cable or the network.</source>
        <translation>Drukarka otrzymała uszkodzoną ramkę (zła suma kontrolna). Sprawdź kabel lub sieć.</translation>
    </message>
    <message>
        <source>The printer received a malformed frame.</source>
        <translation>Drukarka otrzymała błędnie zbudowaną ramkę.</translation>
    </message>
    <message>
        <source>A text or number sent to the printer is too long.</source>
        <translation>Tekst lub liczba wysłane do drukarki są za długie.</translation>
    </message>
    <message>
        <source>The printer's input buffer is full. Try again in a moment.</source>
        <translation>Bufor wejściowy drukarki jest pełny. Spróbuj ponownie za chwilę.</translation>
    </message>
    <message>
        <source>The printer's command queue is full. Try again in a moment.</source>
        <translation>Kolejka poleceń drukarki jest pełna. Spróbuj ponownie za chwilę.</translation>
    </message>
    <message>
        <source>The printer received a frame without a checksum.</source>
        <translation>Drukarka otrzymała ramkę bez sumy kontrolnej.</translation>
    </message>
    <message>
        <source>The operation was cancelled at the printer.</source>
        <translation>Operację anulowano na drukarce.</translation>
    </message>
    <message>
        <source>This command is not allowed on this printer interface.</source>
        <translation>To polecenie jest niedozwolone na tym interfejsie drukarki.</translation>
    </message>
    <message>
        <source>Another interface (the keypad or a second computer) is using the printer. Try again later.</source>
        <translation>Drukarki używa inny interfejs (klawiatura lub drugi komputer). Spróbuj ponownie później.</translation>
    </message>
    <message>
        <source>The printer could not carry out the operation. Look at its display.</source>
        <translation>Drukarka nie mogła wykonać operacji. Sprawdź jej wyświetlacz.</translation>
    </message>
    <message>
        <source>Nothing was sold since the last daily report, so the printer refuses a zero report.</source>
        <translation>Od ostatniego raportu dobowego nic nie sprzedano, więc drukarka odmawia raportu zerowego.</translation>
    </message>
    <message>
        <source>The daily report for a previous day is missing. Print the daily report first.</source>
        <translation>Brakuje raportu dobowego za poprzedni dzień. Najpierw wydrukuj raport dobowy.</translation>
    </message>
    <message>
        <source>Sales are blocked: the printer's memory is full. Call the service.</source>
        <translation>Sprzedaż zablokowana: pamięć drukarki jest pełna. Wezwij serwis.</translation>
    </message>
    <message>
        <source>The printer's working time has run out and sales are blocked. Enter the authorisation code.</source>
        <translation>Skończył się czas pracy drukarki i sprzedaż jest zablokowana. Wprowadź kod autoryzacyjny.</translation>
    </message>
    <message>
        <source>The printer's subscription has expired and sales are blocked.</source>
        <translation>Subskrypcja drukarki wygasła i sprzedaż jest zablokowana.</translation>
    </message>
    <message>
        <source>The product name is not unique in the printer's database.</source>
        <translation>Nazwa towaru nie jest unikalna w bazie drukarki.</translation>
    </message>
    <message>
        <source>The receipt's totals are out of range.</source>
        <translation>Sumy paragonu przekraczają dopuszczalny zakres.</translation>
    </message>
    <message>
        <source>The receipt has no lines.</source>
        <translation>Paragon nie ma pozycji.</translation>
    </message>
    <message>
        <source>The printer has no active VAT rate in the slot sent: the VAT rate table does not match. Read the rate table again or ask the service to program it.</source>
        <translation>Drukarka nie ma aktywnej stawki VAT pod wysłaną literą: tabela stawek VAT się nie zgadza. Odczytaj tabelę stawek ponownie albo poproś serwis o jej zaprogramowanie.</translation>
    </message>
    <message>
        <source>The printer has no active VAT rates. Ask the service to program the rate table.</source>
        <translation>Drukarka nie ma aktywnych stawek VAT. Poproś serwis o zaprogramowanie tabeli stawek.</translation>
    </message>
    <message>
        <source>No receipt is open at the printer.</source>
        <translation>W drukarce nie ma otwartego paragonu.</translation>
    </message>
    <message>
        <source>A price sent to the printer is zero or negative.</source>
        <translation>Cena wysłana do drukarki jest zerowa lub ujemna.</translation>
    </message>
    <message>
        <source>A quantity sent to the printer is zero or negative.</source>
        <translation>Ilość wysłana do drukarki jest zerowa lub ujemna.</translation>
    </message>
    <message>
        <source>The printer's daily totals are full. Print the daily report.</source>
        <translation>Totalizery dobowe drukarki są pełne. Wydrukuj raport dobowy.</translation>
    </message>
    <message>
        <source>The buyer's NIP is not valid for the printer.</source>
        <translation>Drukarka nie przyjmuje NIP-u nabywcy.</translation>
    </message>
    <message>
        <source>The printer is in read-only mode and cannot sell. Call the service.</source>
        <translation>Drukarka jest w trybie tylko do odczytu i nie może sprzedawać. Wezwij serwis.</translation>
    </message>
    <message>
        <source>A receipt is already open at the printer.</source>
        <translation>W drukarce jest już otwarty paragon.</translation>
    </message>
    <message>
        <source>A receipt cannot be closed with a total of zero.</source>
        <translation>Paragonu nie można zamknąć z sumą zero.</translation>
    </message>
    <message>
        <source>The payments do not cover the receipt's total.</source>
        <translation>Płatności nie pokrywają sumy paragonu.</translation>
    </message>
    <message>
        <source>The printer is not in the right state for this step of the receipt.</source>
        <translation>Drukarka nie jest we właściwym stanie dla tego kroku paragonu.</translation>
    </message>
    <message>
        <source>The buyer's NIP must be exactly ten digits.</source>
        <translation>NIP nabywcy musi mieć dokładnie dziesięć cyfr.</translation>
    </message>
    <message>
        <source>The printer has locked this product name at a lower VAT rate. Rename the product (a name may not be sold at a higher rate later).</source>
        <translation>Drukarka zablokowała tę nazwę towaru w niższej stawce VAT. Zmień nazwę towaru (nazwy nie wolno później sprzedać w wyższej stawce).</translation>
    </message>
    <message>
        <source>The printer computed a different line value (price times quantity).</source>
        <translation>Drukarka wyliczyła inną wartość pozycji (cena razy ilość).</translation>
    </message>
    <message>
        <source>The printer computed a different receipt total than SellerDesk.</source>
        <translation>Drukarka wyliczyła inną sumę paragonu niż SellerDesk.</translation>
    </message>
    <message>
        <source>The printer computed a different payment total than SellerDesk.</source>
        <translation>Drukarka wyliczyła inną sumę płatności niż SellerDesk.</translation>
    </message>
    <message>
        <source>The fiscal printer refused the command (error %1).</source>
        <translation>Drukarka fiskalna odrzuciła polecenie (błąd %1).</translation>
    </message>
    <message>
        <source>The printer's cover is open. Close it.</source>
        <translation>Pokrywa drukarki jest otwarta. Zamknij ją.</translation>
    </message>
    <message>
        <source>The printer cannot reach its print mechanism.</source>
        <translation>Drukarka nie ma dostępu do mechanizmu drukującego.</translation>
    </message>
    <message>
        <source>The printer is out of paper. Put in a new roll.</source>
        <translation>W drukarce skończył się papier. Załóż nową rolkę.</translation>
    </message>
    <message>
        <source>The printer has a power or temperature problem. Check its power supply.</source>
        <translation>Drukarka ma problem z zasilaniem lub temperaturą. Sprawdź jej zasilacz.</translation>
    </message>
    <message>
        <source>The printer's paper cutter is jammed.</source>
        <translation>Obcinacz papieru w drukarce się zaciął.</translation>
    </message>
    <message>
        <source>The print mechanism reports a fault (%1).</source>
        <translation>Mechanizm drukujący zgłasza błąd (%1).</translation>
    </message>
    <message>
        <source>The printer's menu is open on its keypad. Leave the menu.</source>
        <translation>Na klawiaturze drukarki otwarte jest menu. Wyjdź z menu.</translation>
    </message>
    <message>
        <source>The printer waits for a key on its keypad.</source>
        <translation>Drukarka czeka na naciśnięcie klawisza.</translation>
    </message>
    <message>
        <source>The printer shows an error and waits for the operator. Look at its display.</source>
        <translation>Drukarka pokazuje błąd i czeka na operatora. Sprawdź jej wyświetlacz.</translation>
    </message>
    <message>
        <source>The fiscal printer sent a damaged frame.</source>
        <translation>Drukarka fiskalna przysłała uszkodzoną ramkę.</translation>
    </message>
    <message>
        <source>The fiscal printer answered a different command.</source>
        <translation>Drukarka fiskalna odpowiedziała na inne polecenie.</translation>
    </message>
    <message>
        <source>The fiscal printer did not answer in time.</source>
        <translation>Drukarka fiskalna nie odpowiedziała na czas.</translation>
    </message>
    <message>
        <source>Ready; the paper is running out.</source>
        <translation>Gotowa; kończy się papier.</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>Gotowa.</translation>
    </message>
    <message>
        <source>The receipt's lines and VAT slots do not match.</source>
        <translation>Pozycje paragonu nie zgadzają się ze stawkami VAT.</translation>
    </message>
    <message>
        <source>No fiscal printer is set for this workstation; nothing was printed.</source>
        <translation>Dla tego stanowiska nie ustawiono drukarki fiskalnej; nic nie wydrukowano.</translation>
    </message>
    <message>
        <source>The order already has fiscal receipt no. %1; not printed again.</source>
        <translation>Zamówienie ma już paragon fiskalny nr %1; nie drukowano go ponownie.</translation>
    </message>
    <message>
        <source>Fiscal receipt no. %1 printed on %2.</source>
        <translation>Paragon fiskalny nr %1 wydrukowano na %2.</translation>
    </message>
    <message>
        <source>Unknown fault "%1": use paper-out, cover-open, paper-out:CMD[#N], bad-crc:CMD[#N], timeout:CMD[#N], drop:CMD[#N] or delay:MS.</source>
        <translation>Nieznana usterka „%1”: użyj paper-out, cover-open, paper-out:CMD[#N], bad-crc:CMD[#N], timeout:CMD[#N], drop:CMD[#N] lub delay:MS.</translation>
    </message>
    <message>
        <source>The fiscal printer simulator cannot listen on port %1.</source>
        <translation>Symulator drukarki fiskalnej nie może nasłuchiwać na porcie %1.</translation>
    </message>
    <message>
        <source>The order's discounts (%1) leave nothing to pay for its items; a fiscal receipt cannot carry that.</source>
        <translation>Rabaty zamówienia (%1) nie zostawiają nic do zapłaty za towary; paragon fiskalny tego nie przyjmie.</translation>
    </message>
    <message>
        <source>The protocol must be posnet or novitus.</source>
        <translation>Protokół musi być posnet albo novitus.</translation>
    </message>
    <message>
        <source>The printer reports a fault in its print mechanism (open cover, jammed paper or cutter). Look at its display.</source>
        <translation>Drukarka zgłasza usterkę mechanizmu drukującego (otwarta pokrywa, zacięty papier lub obcinacz). Sprawdź jej wyświetlacz.</translation>
    </message>
    <message>
        <source>The fiscal printer refused the command (Novitus error %1).</source>
        <translation>Drukarka fiskalna odrzuciła polecenie (błąd Novitus %1).</translation>
    </message>
    <message>
        <source>The fiscal printer sent a damaged reply.</source>
        <translation>Drukarka fiskalna przysłała uszkodzoną odpowiedź.</translation>
    </message>
</context>
<context>
    <name>sd::documents</name>
    <message>
        <source>draft</source>
        <translation>szkic</translation>
    </message>
    <message>
        <source>issued</source>
        <translation>wystawiona</translation>
    </message>
    <message>
        <source>issued offline</source>
        <translation>wystawiona offline</translation>
    </message>
    <message>
        <source>waiting for KSeF</source>
        <translation>czeka na KSeF</translation>
    </message>
    <message>
        <source>sent to KSeF</source>
        <translation>wysłana do KSeF</translation>
    </message>
    <message>
        <source>accepted by KSeF</source>
        <translation>przyjęta przez KSeF</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>odrzucona</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>anulowana</translation>
    </message>
    <message>
        <source>corrected</source>
        <translation>skorygowana</translation>
    </message>
    <message>
        <source>The stored document is damaged.</source>
        <translation>Zapisany dokument jest uszkodzony.</translation>
    </message>
    <message>
        <source>%1 %2 issued.</source>
        <translation>Wystawiono: %1 %2.</translation>
    </message>
    <message>
        <source>The order has no invoice to correct.</source>
        <translation>Zamówienie nie ma faktury do skorygowania.</translation>
    </message>
    <message>
        <source>Return of goods (rule "%1")</source>
        <translation>Zwrot towaru (reguła „%1”)</translation>
    </message>
    <message>
        <source>The company data is not complete: %1 Set it with "company set".</source>
        <translation>Dane firmy są niepełne: %1 Uzupełnij je poleceniem „company set”.</translation>
    </message>
    <message>
        <source>The order has no items to invoice.</source>
        <translation>Zamówienie nie ma pozycji do zafakturowania.</translation>
    </message>
    <message>
        <source>The buyer gave no NIP, so the order gets a receipt, not a VAT invoice (invoices to private persons are off in the document settings).</source>
        <translation>Kupujący nie podał NIP-u, więc zamówienie dostaje paragon, nie fakturę VAT (faktury dla osób prywatnych są wyłączone w ustawieniach dokumentów).</translation>
    </message>
    <message>
        <source>A correction is made from an invoice, not an order.</source>
        <translation>Korektę wystawia się do faktury, nie do zamówienia.</translation>
    </message>
    <message>
        <source>A VAT invoice needs the buyer's NIP; this buyer gave none (issue a receipt or an invoice to a private person).</source>
        <translation>Faktura VAT wymaga NIP-u nabywcy; ten kupujący go nie podał (wystaw paragon albo fakturę dla osoby prywatnej).</translation>
    </message>
    <message>
        <source>No OSS VAT rate is set for %1.</source>
        <translation>Nie ustawiono stawki VAT OSS dla %1.</translation>
    </message>
    <message>
        <source>The order's discounts are larger than its items.</source>
        <translation>Rabaty zamówienia są większe niż wartość jego pozycji.</translation>
    </message>
    <message>
        <source>A receipt-backed simplified invoice needs the buyer's NIP.</source>
        <translation>Faktura uproszczona do paragonu wymaga NIP-u nabywcy.</translation>
    </message>
    <message>
        <source>A simplified invoice may not exceed 450 zł gross; this order is %1.</source>
        <translation>Faktura uproszczona nie może przekroczyć 450 zł brutto; to zamówienie to %1.</translation>
    </message>
    <message>
        <source>A PDF can only be drawn by a graphical program.</source>
        <translation>PDF może narysować tylko program graficzny.</translation>
    </message>
    <message>
        <source>The PDF could not be drawn.</source>
        <translation>Nie udało się utworzyć PDF-a.</translation>
    </message>
    <message>
        <source>The series "%1" numbers %2, not %3.</source>
        <translation>Seria „%1” numeruje dokumenty „%2”, nie „%3”.</translation>
    </message>
    <message>
        <source>Another workstation is issuing this document.</source>
        <translation>Inne stanowisko właśnie wystawia ten dokument.</translation>
    </message>
    <message>
        <source>Only an invoice can be corrected.</source>
        <translation>Skorygować można tylko fakturę.</translation>
    </message>
    <message>
        <source>The invoice %1 is %2 and cannot be corrected now.</source>
        <translation>Faktura %1 ma stan „%2” i nie można jej teraz skorygować.</translation>
    </message>
    <message>
        <source>A correction needs a reason.</source>
        <translation>Korekta wymaga podania przyczyny.</translation>
    </message>
    <message>
        <source>The invoice has no line %1 (it has %2).</source>
        <translation>Faktura nie ma pozycji %1 (ma ich %2).</translation>
    </message>
    <message>
        <source>A quantity cannot be negative.</source>
        <translation>Ilość nie może być ujemna.</translation>
    </message>
    <message>
        <source>A price cannot be negative.</source>
        <translation>Cena nie może być ujemna.</translation>
    </message>
    <message>
        <source>The correction changes nothing.</source>
        <translation>Korekta niczego nie zmienia.</translation>
    </message>
    <message>
        <source>Order %1 is left for manual invoicing: %2</source>
        <translation>Zamówienie %1 zostaje do ręcznego zafakturowania: %2</translation>
    </message>
    <message>
        <source>Order %1: %2 issued.</source>
        <translation>Zamówienie %1: wystawiono %2.</translation>
    </message>
    <message>
        <source>Order %1: %2</source>
        <translation>Zamówienie %1: %2</translation>
    </message>
    <message>
        <source>Order %1 has the invoice %2 already.</source>
        <translation>Zamówienie %1 ma już fakturę %2.</translation>
    </message>
    <message>
        <source>The draft was issued or removed meanwhile.</source>
        <translation>Szkic został w międzyczasie wystawiony albo usunięty.</translation>
    </message>
    <message>
        <source>The document could not be stored.</source>
        <translation>Nie udało się zapisać dokumentu.</translation>
    </message>
    <message>
        <source>Only a draft can be issued; %1 is %2.</source>
        <translation>Wystawić można tylko szkic; %1 ma stan „%2”.</translation>
    </message>
    <message>
        <source>The document %1 is %2 and cannot become %3.</source>
        <translation>Dokument %1 ma stan „%2” i nie może przejść w stan „%3”.</translation>
    </message>
    <message>
        <source>There is no document %1.</source>
        <translation>Nie ma dokumentu %1.</translation>
    </message>
    <message>
        <source>There is no document "%1".</source>
        <translation>Nie ma dokumentu „%1”.</translation>
    </message>
    <message>
        <source>The document %1 has no KSeF XML.</source>
        <translation>Dokument %1 nie ma pliku XML KSeF.</translation>
    </message>
    <message>
        <source>A pro-forma invoice has no KSeF (FA(3)) form.</source>
        <translation>Faktura pro forma nie ma postaci KSeF (FA(3)).</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>wiersz %1: %2</translation>
    </message>
    <message>
        <source>The FA(3) schema could not be loaded.</source>
        <translation>Nie udało się wczytać schematu FA(3).</translation>
    </message>
    <message>
        <source>The invoice XML is not well-formed.</source>
        <translation>XML faktury jest niepoprawny składniowo.</translation>
    </message>
    <message>
        <source>The invoice does not match the KSeF FA(3) schema: %1</source>
        <translation>Faktura nie jest zgodna ze schematem KSeF FA(3): %1</translation>
    </message>
    <message>
        <source>"%1" is not a KSeF number.</source>
        <translation>„%1” nie jest numerem KSeF.</translation>
    </message>
    <message>
        <source>The numbering series "%1" is damaged.</source>
        <translation>Seria numeracji „%1” jest uszkodzona.</translation>
    </message>
    <message>
        <source>A numbering pattern must not be empty.</source>
        <translation>Wzorzec numeracji nie może być pusty.</translation>
    </message>
    <message>
        <source>The pattern "%1" must contain the number {n} exactly once.</source>
        <translation>Wzorzec „%1” musi zawierać numer {n} dokładnie raz.</translation>
    </message>
    <message>
        <source>The pattern "%1" starts again every year, so it must contain {YYYY}.</source>
        <translation>Wzorzec „%1” zaczyna się od nowa co rok, więc musi zawierać {YYYY}.</translation>
    </message>
    <message>
        <source>The pattern "%1" starts again every month, so it must contain {MM}.</source>
        <translation>Wzorzec „%1” zaczyna się od nowa co miesiąc, więc musi zawierać {MM}.</translation>
    </message>
    <message>
        <source>The pattern "%1" has an unknown {...} part; use {n}, {MM}, {YYYY}.</source>
        <translation>Wzorzec „%1” ma nieznaną część {...}; użyj {n}, {MM}, {YYYY}.</translation>
    </message>
    <message>
        <source>There is no numbering series "%1".</source>
        <translation>Nie ma serii numeracji „%1”.</translation>
    </message>
    <message>
        <source>No numbering series is set up for %1.</source>
        <translation>Nie ustawiono serii numeracji dla: %1.</translation>
    </message>
    <message>
        <source>A numbering series needs a name.</source>
        <translation>Seria numeracji wymaga nazwy.</translation>
    </message>
    <message>
        <source>A numbering series "%1" exists already.</source>
        <translation>Seria numeracji „%1” już istnieje.</translation>
    </message>
    <message>
        <source>No document number could be reserved.</source>
        <translation>Nie udało się zarezerwować numeru dokumentu.</translation>
    </message>
    <message>
        <source>The OSS rate for %1 must be 0-50 %.</source>
        <translation>Stawka OSS dla %1 musi mieścić się w przedziale 0–50%.</translation>
    </message>
    <message>
        <source>The company name is missing.</source>
        <translation>Brak nazwy firmy.</translation>
    </message>
    <message>
        <source>The company address (street and city) is missing.</source>
        <translation>Brak adresu firmy (ulicy i miejscowości).</translation>
    </message>
    <message>
        <source>The postcode "%1" is not in the form 00-000.</source>
        <translation>Kod pocztowy „%1” nie ma postaci 00-000.</translation>
    </message>
    <message>
        <source>The bank account "%1" is not 26 digits (or PL and 26 digits).</source>
        <translation>Numer rachunku „%1” nie ma 26 cyfr (ani PL i 26 cyfr).</translation>
    </message>
    <message>
        <source>Not issued: %1</source>
        <translation>Nie wystawiono: %1</translation>
    </message>
    <message>
        <source>Documents %1 made.</source>
        <translation>Utworzono dokumenty %1.</translation>
    </message>
    <message>
        <source>"%1" is not a foreign currency code.</source>
        <translation>„%1” nie jest kodem waluty obcej.</translation>
    </message>
    <message>
        <source>The rate needs the day of its NBP table.</source>
        <translation>Kurs wymaga dnia jego tabeli NBP.</translation>
    </message>
    <message>
        <source>"%1" is not an exchange rate (a positive number such as 4.2954).</source>
        <translation>„%1” nie jest kursem waluty (liczba dodatnia, np. 4.2954).</translation>
    </message>
    <message>
        <source>There is no NBP rate of %1 for the last working day before %2. Add it with "sellerdesk-cli rates add %1 YYYY-MM-DD RATE" or fetch it with "sellerdesk-cli rates fetch %1 --date %2".</source>
        <translation>Brak kursu NBP %1 z ostatniego dnia roboczego przed %2. Dodaj go poleceniem „sellerdesk-cli rates add %1 RRRR-MM-DD KURS” albo pobierz poleceniem „sellerdesk-cli rates fetch %1 --date %2”.</translation>
    </message>
    <message>
        <source>NBP has no rate of %1 in the ten days before %2.</source>
        <translation>NBP nie ma kursu %1 z dziesięciu dni przed %2.</translation>
    </message>
    <message>
        <source>The NBP rates cannot be read: %1</source>
        <translation>Nie można odczytać kursów NBP: %1</translation>
    </message>
    <message>
        <source>NBP answered without rates.</source>
        <translation>NBP odpowiedział bez kursów.</translation>
    </message>
    <message>
        <source>KSeF is on, but the seller's NIP for KSeF is not set (Document settings, KSeF).</source>
        <translation>KSeF jest włączony, ale NIP sprzedawcy dla KSeF nie jest ustawiony (Ustawienia dokumentów, KSeF).</translation>
    </message>
    <message>
        <source>KSeF is on, but the secret store with its token is not open.</source>
        <translation>KSeF jest włączony, ale magazyn sekretów z jego tokenem nie jest otwarty.</translation>
    </message>
    <message>
        <source>The document %1 does not go to KSeF (%2).</source>
        <translation>Dokument %1 nie trafia do KSeF (%2).</translation>
    </message>
    <message>
        <source>No completion documents: the company data is not filled in (document settings).</source>
        <translation>Brak dokumentów zakończenia: dane firmy nie są uzupełnione (ustawienia dokumentów).</translation>
    </message>
    <message>
        <source>Order %1 completed: %2</source>
        <translation>Zamówienie %1 zakończone: %2</translation>
    </message>
    <message>
        <source>The NBP address "%1" is not an http or https address.</source>
        <translation>Adres NBP „%1” nie jest adresem http ani https.</translation>
    </message>
</context>
<context>
    <name>sd::domain</name>
    <message>
        <source>The address has no street</source>
        <translation>W adresie brakuje ulicy</translation>
    </message>
    <message>
        <source>The address has no city</source>
        <translation>W adresie brakuje miejscowości</translation>
    </message>
    <message>
        <source>The address has no post code</source>
        <translation>W adresie brakuje kodu pocztowego</translation>
    </message>
    <message>
        <source>The address has no country code</source>
        <translation>W adresie brakuje kodu kraju</translation>
    </message>
    <message>
        <source>The country code "%1" is not two upper-case letters, such as PL</source>
        <translation>Kod kraju „%1” to nie dwie wielkie litery, np. PL</translation>
    </message>
    <message>
        <source>The post code "%1" is not a Polish post code of the form 00-000</source>
        <translation>Kod „%1” nie jest polskim kodem pocztowym w formacie 00-000</translation>
    </message>
    <message>
        <source>The phone number is empty</source>
        <translation>Numer telefonu jest pusty</translation>
    </message>
    <message>
        <source>The phone number "%1" contains "%2", which is not a digit or a separator</source>
        <translation>Numer telefonu „%1” zawiera „%2”, który nie jest cyfrą ani separatorem</translation>
    </message>
    <message>
        <source>The phone number "%1" has %2 digits; a Polish number has 9, others need + and the country code</source>
        <translation>Numer telefonu „%1” ma %2 cyfr; polski numer ma 9, inne wymagają + i kodu kraju</translation>
    </message>
    <message>
        <source>The phone number "%1" has a country code starting with 0</source>
        <translation>Numer telefonu „%1” ma kod kraju zaczynający się od 0</translation>
    </message>
    <message>
        <source>The phone number "%1" has %2 digits with its country code; an international number has 8 to 15</source>
        <translation>Numer telefonu „%1” ma %2 cyfr z kodem kraju; numer międzynarodowy ma od 8 do 15</translation>
    </message>
    <message>
        <source>The phone number "%1" has %2 digits after +48; a Polish number has 9</source>
        <translation>Numer telefonu „%1” ma %2 cyfr po +48; polski numer ma 9</translation>
    </message>
    <message>
        <source>The e-mail address is empty</source>
        <translation>Adres e-mail jest pusty</translation>
    </message>
    <message>
        <source>The e-mail address "%1" is longer than %2 characters</source>
        <translation>Adres e-mail „%1” jest dłuższy niż %2 znaków</translation>
    </message>
    <message>
        <source>The e-mail address "%1" contains a space or a control character</source>
        <translation>Adres e-mail „%1” zawiera spację lub znak sterujący</translation>
    </message>
    <message>
        <source>The e-mail address "%1" must contain exactly one @</source>
        <translation>Adres e-mail „%1” musi zawierać dokładnie jeden znak @</translation>
    </message>
    <message>
        <source>The e-mail address "%1" needs 1 to 64 characters before the @</source>
        <translation>Adres e-mail „%1” musi mieć od 1 do 64 znaków przed @</translation>
    </message>
    <message>
        <source>The e-mail address "%1" does not end in a domain such as example.pl</source>
        <translation>Adres e-mail „%1” nie kończy się domeną, np. example.pl</translation>
    </message>
    <message>
        <source>EAN "%1" contains "%2", which is not a digit</source>
        <translation>EAN „%1” zawiera „%2”, który nie jest cyfrą</translation>
    </message>
    <message>
        <source>EAN "%1" has %2 digits; a GTIN has 8, 12, 13 or 14</source>
        <translation>EAN „%1” ma %2 cyfr; GTIN ma 8, 12, 13 lub 14</translation>
    </message>
    <message>
        <source>EAN %1 is all zeros</source>
        <translation>EAN %1 składa się z samych zer</translation>
    </message>
    <message>
        <source>EAN %1 has a wrong check digit</source>
        <translation>EAN %1 ma błędną cyfrę kontrolną</translation>
    </message>
    <message>
        <source>The amount "%1" has misplaced spaces; group digits by three, as in 1 234 567,89</source>
        <translation>Kwota „%1” ma źle postawione spacje; grupuj cyfry po trzy, np. 1 234 567,89</translation>
    </message>
    <message>
        <source>"%1" is not a known currency code</source>
        <translation>„%1” nie jest znanym kodem waluty</translation>
    </message>
    <message>
        <source>The amount is empty</source>
        <translation>Kwota jest pusta</translation>
    </message>
    <message>
        <source>The amount "%1" has more than one decimal separator (group thousands with spaces, not dots or commas)</source>
        <translation>Kwota „%1” ma więcej niż jeden separator dziesiętny (tysiące grupuj spacjami, nie kropkami ani przecinkami)</translation>
    </message>
    <message>
        <source>The amount "%1" contains "%2", which is not a digit</source>
        <translation>Kwota „%1” zawiera „%2”, który nie jest cyfrą</translation>
    </message>
    <message>
        <source>The amount "%1" needs digits before and after the decimal separator</source>
        <translation>Kwota „%1” musi mieć cyfry przed separatorem dziesiętnym i po nim</translation>
    </message>
    <message>
        <source>The amount "%1" has a space after the decimal separator</source>
        <translation>Kwota „%1” ma spację po separatorze dziesiętnym</translation>
    </message>
    <message>
        <source>The amount "%1" has more decimal places than %2 allows (%3)</source>
        <translation>Kwota „%1” ma więcej miejsc po przecinku, niż pozwala %2 (%3)</translation>
    </message>
    <message>
        <source>The amount "%1" is too large</source>
        <translation>Kwota „%1” jest za duża</translation>
    </message>
    <message>
        <source>NIP "%1" contains "%2", which is not a digit</source>
        <translation>NIP „%1” zawiera „%2”, który nie jest cyfrą</translation>
    </message>
    <message>
        <source>NIP "%1" has %2 digits instead of 10</source>
        <translation>NIP „%1” ma %2 cyfr zamiast 10</translation>
    </message>
    <message>
        <source>NIP %1 is all zeros</source>
        <translation>NIP %1 składa się z samych zer</translation>
    </message>
    <message>
        <source>NIP %1 has a wrong check digit</source>
        <translation>NIP %1 ma błędną cyfrę kontrolną</translation>
    </message>
    <message>
        <source>The VAT rate "%1" is not one of 23, 8, 5, 0, zw, np, oo</source>
        <translation>Stawka VAT „%1” nie jest jedną z: 23, 8, 5, 0, zw, np, oo</translation>
    </message>
    <message>
        <source>Give the buyer's name or company</source>
        <translation>Podaj imię i nazwisko kupującego albo firmę</translation>
    </message>
    <message>
        <source>A company invoice needs the NIP</source>
        <translation>Faktura na firmę wymaga NIP-u</translation>
    </message>
    <message>
        <source>Add at least one item</source>
        <translation>Dodaj co najmniej jedną pozycję</translation>
    </message>
    <message>
        <source>The item needs a name</source>
        <translation>Pozycja musi mieć nazwę</translation>
    </message>
    <message>
        <source>The quantity must be at least 1</source>
        <translation>Ilość musi wynosić co najmniej 1</translation>
    </message>
    <message>
        <source>Give a price of 0 or more</source>
        <translation>Podaj cenę równą 0 lub większą</translation>
    </message>
</context>
<context>
    <name>sd::domain::Order</name>
    <message>
        <source>%1 is not an amount with a currency</source>
        <translation>%1 nie jest kwotą z walutą</translation>
    </message>
    <message>
        <source>%1 has an unknown currency %2</source>
        <translation>%1 ma nieznaną walutę %2</translation>
    </message>
    <message>
        <source>The order has no sales channel</source>
        <translation>Zamówienie nie ma kanału sprzedaży</translation>
    </message>
    <message>
        <source>The order has no line items</source>
        <translation>Zamówienie nie ma pozycji</translation>
    </message>
    <message>
        <source>The order has no total amount</source>
        <translation>Zamówienie nie ma kwoty całkowitej</translation>
    </message>
    <message>
        <source>An order can have at most %1 referrers, this one has %2</source>
        <translation>Zamówienie może mieć najwyżej %1 źródeł wejścia, to ma %2</translation>
    </message>
    <message>
        <source>Line item %1 has no name</source>
        <translation>Pozycja %1 nie ma nazwy</translation>
    </message>
    <message>
        <source>Line item %1 (%2) has quantity %3; it must be at least 1</source>
        <translation>Pozycja %1 (%2) ma ilość %3; musi wynosić co najmniej 1</translation>
    </message>
    <message>
        <source>Line item %1 (%2) is not priced in the order's currency %3</source>
        <translation>Pozycja %1 (%2) nie ma ceny w walucie zamówienia %3</translation>
    </message>
    <message>
        <source>The delivery cost or paid amount is not in the order's currency %1</source>
        <translation>Koszt dostawy lub kwota wpłaty nie jest w walucie zamówienia %1</translation>
    </message>
    <message>
        <source>A surcharge or discount is not in the order's currency %1</source>
        <translation>Dopłata lub rabat nie jest w walucie zamówienia %1</translation>
    </message>
</context>
<context>
    <name>sd::ksef</name>
    <message>
        <source>Encryption for KSeF failed.</source>
        <translation>Szyfrowanie dla KSeF nie powiodło się.</translation>
    </message>
    <message>
        <source>The KSeF public key certificate cannot be read.</source>
        <translation>Nie można odczytać certyfikatu klucza publicznego KSeF.</translation>
    </message>
    <message>
        <source>The KSeF environment must be test, production or an http(s) address, not "%1".</source>
        <translation>Środowisko KSeF musi być test, production albo adresem http(s), a nie „%1”.</translation>
    </message>
    <message>
        <source>The KSeF submission was not stored.</source>
        <translation>Wysyłka do KSeF nie została zapisana.</translation>
    </message>
</context>
<context>
    <name>sd::labels</name>
    <message>
        <source>The order has no Allegro delivery method, so "Wysyłam z Allegro" cannot ship it.</source>
        <translation>Zamówienie nie ma metody dostawy Allegro, więc „Wysyłam z Allegro” nie może go nadać.</translation>
    </message>
    <message>
        <source>Allegro did not create the shipment: %1</source>
        <translation>Allegro nie utworzyło przesyłki: %1</translation>
    </message>
    <message>
        <source>Allegro has not created the shipment yet; try again in a while.</source>
        <translation>Allegro jeszcze nie utworzyło przesyłki; spróbuj ponownie za chwilę.</translation>
    </message>
    <message>
        <source>Allegro created the shipment but sent no tracking number.</source>
        <translation>Allegro utworzyło przesyłkę, ale nie podało numeru przesyłki.</translation>
    </message>
    <message>
        <source>Allegro has no label for this shipment yet.</source>
        <translation>Allegro nie ma jeszcze etykiety dla tej przesyłki.</translation>
    </message>
    <message>
        <source>A barcode needs some data.</source>
        <translation>Kod kreskowy musi zawierać dane.</translation>
    </message>
    <message>
        <source>The barcode could not be drawn.</source>
        <translation>Nie udało się narysować kodu kreskowego.</translation>
    </message>
    <message>
        <source>"%1" cannot be written as this kind of barcode.</source>
        <translation>„%1” nie da się zapisać tym rodzajem kodu kreskowego.</translation>
    </message>
    <message>
        <source>The secret store is not open, so no courier can be used.</source>
        <translation>Magazyn sekretów nie jest otwarty, więc nie można użyć żadnego kuriera.</translation>
    </message>
    <message>
        <source>"Wysyłam z Allegro" ships Allegro orders only; this order is not one.</source>
        <translation>„Wysyłam z Allegro” nadaje tylko zamówienia z Allegro; to zamówienie do nich nie należy.</translation>
    </message>
    <message>
        <source>InPost ShipX is not set up: run "sellerdesk-cli label inpost-setup" with the organization and the API token.</source>
        <translation>InPost ShipX nie jest skonfigurowany: uruchom „sellerdesk-cli label inpost-setup” z organizacją i tokenem API.</translation>
    </message>
    <message>
        <source>Unknown courier "%1"; use allegro or inpost.</source>
        <translation>Nieznany kurier „%1”; użyj allegro albo inpost.</translation>
    </message>
    <message>
        <source>No courier is set up on this workstation (the secret store is not open).</source>
        <translation>Na tym stanowisku nie skonfigurowano kuriera (magazyn sekretów nie jest otwarty).</translation>
    </message>
    <message>
        <source>Label made: %1 %2.</source>
        <translation>Utworzono etykietę: %1 %2.</translation>
    </message>
    <message>
        <source>Label made and the order marked as sent on Allegro: %1 %2.</source>
        <translation>Utworzono etykietę i oznaczono zamówienie w Allegro jako wysłane: %1 %2.</translation>
    </message>
    <message>
        <source>No label printer is set for this workstation.</source>
        <translation>Dla tego stanowiska nie ustawiono drukarki etykiet.</translation>
    </message>
    <message>
        <source>The order has no label to print yet.</source>
        <translation>Zamówienie nie ma jeszcze etykiety do wydruku.</translation>
    </message>
    <message>
        <source>Print job %1: %2.</source>
        <translation>Zadanie wydruku %1: %2.</translation>
    </message>
    <message>
        <source>The label was made before but is no longer stored.</source>
        <translation>Etykieta została utworzona wcześniej, ale nie jest już zapisana.</translation>
    </message>
    <message>
        <source>This label is being made right now, or its making was interrupted; look at the courier's panel before trying again.</source>
        <translation>Ta etykieta jest właśnie tworzona albo jej tworzenie zostało przerwane; sprawdź panel kuriera, zanim spróbujesz ponownie.</translation>
    </message>
    <message>
        <source>The PDF label could not be made.</source>
        <translation>Nie udało się utworzyć etykiety PDF.</translation>
    </message>
    <message>
        <source>InPost cannot be reached: %1</source>
        <translation>Brak połączenia z InPost: %1</translation>
    </message>
    <message>
        <source>InPost refused the API token; check the ShipX token and organization.</source>
        <translation>InPost odrzucił token API; sprawdź token ShipX i organizację.</translation>
    </message>
    <message>
        <source>InPost refused the request: %1</source>
        <translation>InPost odrzucił żądanie: %1</translation>
    </message>
    <message>
        <source>InPost ShipX is not set up: the organization and the API token are needed.</source>
        <translation>InPost ShipX nie jest skonfigurowany: potrzebne są organizacja i token API.</translation>
    </message>
    <message>
        <source>InPost has not confirmed the shipment yet; try again in a while.</source>
        <translation>InPost jeszcze nie potwierdził przesyłki; spróbuj ponownie za chwilę.</translation>
    </message>
    <message>
        <source>The training InPost cannot listen on port %1.</source>
        <translation>Szkoleniowy InPost nie może nasłuchiwać na porcie %1.</translation>
    </message>
    <message>
        <source>No document printer is set for this workstation.</source>
        <translation>Na tym stanowisku nie ustawiono drukarki dokumentów.</translation>
    </message>
    <message>
        <source>The order has no issued document to print yet.</source>
        <translation>Zamówienie nie ma jeszcze wystawionego dokumentu do wydruku.</translation>
    </message>
    <message>
        <source>Printing a document needs the SellerDesk window on this workstation: a headless node cannot draw the PDF.</source>
        <translation>Wydruk dokumentu wymaga okna SellerDesk na tym stanowisku: węzeł bez okna nie narysuje PDF.</translation>
    </message>
    <message>
        <source>%1: print job %2, %3.</source>
        <translation>%1: zadanie wydruku %2, %3.</translation>
    </message>
</context>
<context>
    <name>sd::marketplace</name>
    <message>
        <source>The marketplace account no longer exists.</source>
        <translation>Konto w serwisie już nie istnieje.</translation>
    </message>
</context>
<context>
    <name>sd::marketplace::OrderImporter</name>
    <message>
        <source>the file ends before the list of orders is closed (it may be cut short)</source>
        <translation>plik kończy się przed zamknięciem listy zamówień (może być ucięty)</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Nie można odczytać %1: %2</translation>
    </message>
    <message>
        <source>checkoutForms must be a list of orders</source>
        <translation>checkoutForms musi być listą zamówień</translation>
    </message>
    <message>
        <source>at byte %1</source>
        <translation>w bajcie %1</translation>
    </message>
    <message>
        <source>the order is not valid JSON (%1 %2)</source>
        <translation>zamówienie nie jest poprawnym JSON-em (%1 %2)</translation>
    </message>
    <message>
        <source>the order is cut short: the file ends inside it (%1)</source>
        <translation>zamówienie jest ucięte: plik kończy się w jego środku (%1)</translation>
    </message>
    <message>
        <source>(unreadable order %1)</source>
        <translation>(nieczytelne zamówienie %1)</translation>
    </message>
    <message>
        <source>the file is not valid JSON: %1 at byte %2</source>
        <translation>plik nie jest poprawnym JSON-em: %1 w bajcie %2</translation>
    </message>
    <message>
        <source>(entry %1)</source>
        <translation>(pozycja %1 w pliku)</translation>
    </message>
    <message>
        <source>the entry is not an order object</source>
        <translation>ten wpis nie jest obiektem zamówienia</translation>
    </message>
    <message>
        <source>import</source>
        <translation>import</translation>
    </message>
</context>
<context>
    <name>sd::marketplace::allegro</name>
    <message>
        <source>the required field %1 is missing</source>
        <translation>brakuje wymaganego pola %1</translation>
    </message>
    <message>
        <source>the field %1 must be text</source>
        <translation>pole %1 musi być tekstem</translation>
    </message>
    <message>
        <source>the field %1 must be true or false</source>
        <translation>pole %1 musi mieć wartość true lub false</translation>
    </message>
    <message>
        <source>the field %1 must be a whole number</source>
        <translation>pole %1 musi być liczbą całkowitą</translation>
    </message>
    <message>
        <source>the field %1 must be an object</source>
        <translation>pole %1 musi być obiektem</translation>
    </message>
    <message>
        <source>the field %1 must be a list</source>
        <translation>pole %1 musi być listą</translation>
    </message>
    <message>
        <source>the field %1 has an unknown currency "%2"</source>
        <translation>pole %1 ma nieznaną walutę „%2”</translation>
    </message>
    <message>
        <source>the field %1 is not an amount: %2</source>
        <translation>pole %1 nie jest kwotą: %2</translation>
    </message>
    <message>
        <source>the field %1 is not a date and time: "%2"</source>
        <translation>pole %1 nie jest datą i godziną: „%2”</translation>
    </message>
    <message>
        <source>the field status has an unknown value "%1"</source>
        <translation>pole status ma nieznaną wartość „%1”</translation>
    </message>
    <message>
        <source>the order has no line items (lineItems is empty)</source>
        <translation>zamówienie nie ma pozycji (lineItems jest puste)</translation>
    </message>
    <message>
        <source>the field %1 must be at least 1</source>
        <translation>pole %1 musi wynosić co najmniej 1</translation>
    </message>
    <message>
        <source>the field %1 is not a VAT rate: %2</source>
        <translation>pole %1 nie jest stawką VAT: %2</translation>
    </message>
    <message>
        <source>(no id)</source>
        <translation>(bez identyfikatora)</translation>
    </message>
    <message>
        <source>Order %1: %2</source>
        <translation>Zamówienie %1: %2</translation>
    </message>
    <message>
        <source>The marketplace account no longer exists.</source>
        <translation>Konto w serwisie już nie istnieje.</translation>
    </message>
</context>
<context>
    <name>sd::messaging</name>
    <message>
        <source>Status changed</source>
        <translation>Zmiana statusu</translation>
    </message>
    <message>
        <source>Label generated (tracking)</source>
        <translation>Wygenerowana etykieta (śledzenie)</translation>
    </message>
    <message>
        <source>Invoice issued</source>
        <translation>Wystawiona faktura</translation>
    </message>
    <message>
        <source>Payment reminder</source>
        <translation>Przypomnienie o płatności</translation>
    </message>
    <message>
        <source>Review request</source>
        <translation>Prośba o opinię</translation>
    </message>
    <message>
        <source>Order confirmation request</source>
        <translation>Prośba o potwierdzenie zamówienia</translation>
    </message>
    <message>
        <source>Message Center autoresponder</source>
        <translation>Autoresponder Centrum wiadomości</translation>
    </message>
    <message>
        <source>Orders downloaded (to the seller)</source>
        <translation>Pobrane zamówienia (do sprzedawcy)</translation>
    </message>
    <message>
        <source>Deadline passed (to the seller)</source>
        <translation>Minął termin (do sprzedawcy)</translation>
    </message>
    <message>
        <source>the order's number in SellerDesk</source>
        <translation>numer zamówienia w SellerDesk</translation>
    </message>
    <message>
        <source>the marketplace's order number</source>
        <translation>numer zamówienia w serwisie sprzedaży</translation>
    </message>
    <message>
        <source>the purchase date</source>
        <translation>data zakupu</translation>
    </message>
    <message>
        <source>the status as the buyer is told it</source>
        <translation>status w brzmieniu dla kupującego</translation>
    </message>
    <message>
        <source>the marketplace</source>
        <translation>serwis sprzedaży</translation>
    </message>
    <message>
        <source>the marketplace account</source>
        <translation>konto w serwisie sprzedaży</translation>
    </message>
    <message>
        <source>the buyer's name</source>
        <translation>imię i nazwisko kupującego</translation>
    </message>
    <message>
        <source>the buyer's login</source>
        <translation>login kupującego</translation>
    </message>
    <message>
        <source>the buyer's e-mail</source>
        <translation>e-mail kupującego</translation>
    </message>
    <message>
        <source>the amount to pay</source>
        <translation>kwota do zapłaty</translation>
    </message>
    <message>
        <source>the payment method</source>
        <translation>metoda płatności</translation>
    </message>
    <message>
        <source>the payment status</source>
        <translation>status płatności</translation>
    </message>
    <message>
        <source>the delivery method</source>
        <translation>sposób dostawy</translation>
    </message>
    <message>
        <source>the delivery address</source>
        <translation>adres dostawy</translation>
    </message>
    <message>
        <source>the items as a table</source>
        <translation>pozycje zamówienia jako tabela</translation>
    </message>
    <message>
        <source>the carrier of the last parcel</source>
        <translation>przewoźnik ostatniej paczki</translation>
    </message>
    <message>
        <source>the last parcel's tracking number</source>
        <translation>numer przesyłki ostatniej paczki</translation>
    </message>
    <message>
        <source>the carrier's tracking page</source>
        <translation>strona śledzenia przesyłki u przewoźnika</translation>
    </message>
    <message>
        <source>the invoice number</source>
        <translation>numer faktury</translation>
    </message>
    <message>
        <source>the order confirmation link</source>
        <translation>link do potwierdzenia zamówienia</translation>
    </message>
    <message>
        <source>the shop's name</source>
        <translation>nazwa sklepu</translation>
    </message>
    <message>
        <source>the shop's e-mail</source>
        <translation>e-mail sklepu</translation>
    </message>
    <message>
        <source>the shop's phone</source>
        <translation>telefon sklepu</translation>
    </message>
    <message>
        <source>the shop's web address</source>
        <translation>adres strony sklepu</translation>
    </message>
    <message>
        <source>There is no message template "%1".</source>
        <translation>Nie ma szablonu wiadomości „%1”.</translation>
    </message>
    <message>
        <source>There is no message template "%1" in "%2".</source>
        <translation>Nie ma szablonu wiadomości „%1” w języku „%2”.</translation>
    </message>
    <message>
        <source>The template needs a text.</source>
        <translation>Szablon musi mieć treść.</translation>
    </message>
    <message>
        <source>Enter the mail server's host name.</source>
        <translation>Podaj nazwę serwera poczty.</translation>
    </message>
    <message>
        <source>The port must be a number from 1 to 65535.</source>
        <translation>Port musi być liczbą od 1 do 65535.</translation>
    </message>
    <message>
        <source>Enter the sender's e-mail address, such as shop@example.pl.</source>
        <translation>Podaj adres e-mail nadawcy, np. sklep@example.pl.</translation>
    </message>
    <message>
        <source>The timeout must be from 1 to 300 seconds.</source>
        <translation>Limit czasu musi wynosić od 1 do 300 sekund.</translation>
    </message>
    <message>
        <source>The password needs the secret store, which is not open.</source>
        <translation>Do zapisania hasła potrzebny jest magazyn sekretów, który nie jest otwarty.</translation>
    </message>
    <message>
        <source>The mail account could not be saved.</source>
        <translation>Nie udało się zapisać konta pocztowego.</translation>
    </message>
    <message>
        <source>There is no mail account %1.</source>
        <translation>Nie ma konta pocztowego %1.</translation>
    </message>
    <message>
        <source>No mail account is configured yet.</source>
        <translation>Nie skonfigurowano jeszcze konta pocztowego.</translation>
    </message>
    <message>
        <source>Enter the SMS gateway's address, such as https://api.smsapi.pl.</source>
        <translation>Podaj adres bramki SMS, np. https://api.smsapi.pl.</translation>
    </message>
    <message>
        <source>The token needs the secret store, which is not open.</source>
        <translation>Do zapisania tokenu potrzebny jest magazyn sekretów, który nie jest otwarty.</translation>
    </message>
    <message>
        <source>The SMS account could not be saved.</source>
        <translation>Nie udało się zapisać konta SMS.</translation>
    </message>
    <message>
        <source>The buyer has neither an e-mail address nor a phone number: nothing was sent.</source>
        <translation>Kupujący nie ma ani adresu e-mail, ani numeru telefonu: nic nie wysłano.</translation>
    </message>
    <message>
        <source>No mail account is configured yet</source>
        <translation>Nie skonfigurowano jeszcze konta pocztowego</translation>
    </message>
    <message>
        <source>The order is confirmed already.</source>
        <translation>Zamówienie jest już potwierdzone.</translation>
    </message>
    <message>
        <source>This confirmation link is not valid.</source>
        <translation>Ten link potwierdzający jest nieprawidłowy.</translation>
    </message>
    <message>
        <source>Set the seller's e-mail address for notifications first.</source>
        <translation>Najpierw ustaw adres e-mail sprzedawcy do powiadomień.</translation>
    </message>
    <message>
        <source>Order %1: the payment deadline has passed.</source>
        <translation>Zamówienie %1: minął termin płatności.</translation>
    </message>
    <message>
        <source>Order %1: the dispatch deadline has passed.</source>
        <translation>Zamówienie %1: minął termin wysyłki.</translation>
    </message>
    <message>
        <source>A message needs an idempotency key.</source>
        <translation>Wiadomość wymaga klucza idempotencji.</translation>
    </message>
    <message>
        <source>Unknown message channel "%1".</source>
        <translation>Nieznany kanał wiadomości „%1”.</translation>
    </message>
    <message>
        <source>The buyer has no phone number.</source>
        <translation>Kupujący nie ma numeru telefonu.</translation>
    </message>
    <message>
        <source>The buyer has no e-mail address.</source>
        <translation>Kupujący nie ma adresu e-mail.</translation>
    </message>
    <message>
        <source>The template "%1" has no text for this channel.</source>
        <translation>Szablon „%1” nie ma treści dla tego kanału.</translation>
    </message>
    <message>
        <source>The message could not be recorded.</source>
        <translation>Nie udało się zapisać wiadomości.</translation>
    </message>
    <message>
        <source>There is no message %1.</source>
        <translation>Nie ma wiadomości %1.</translation>
    </message>
    <message>
        <source>The secret store is not open, so the password cannot be read; it will be tried again.</source>
        <translation>Magazyn sekretów nie jest otwarty, więc nie można odczytać hasła; wysyłka zostanie ponowiona.</translation>
    </message>
    <message>
        <source>No SMS gateway is configured.</source>
        <translation>Nie skonfigurowano bramki SMS.</translation>
    </message>
    <message numerus="yes">
        <source>SMS sent to %1 (%n part(s)).</source>
        <translation>
            <numerusform>Wysłano SMS do %1 (%n część).</numerusform>
            <numerusform>Wysłano SMS do %1 (%n części).</numerusform>
            <numerusform>Wysłano SMS do %1 (%n części).</numerusform>
        </translation>
    </message>
    <message>
        <source>The attachment %1 cannot be read: %2</source>
        <translation>Nie można odczytać załącznika %1: %2</translation>
    </message>
    <message>
        <source>E-mail sent to %1.</source>
        <translation>Wysłano e-mail do %1.</translation>
    </message>
    <message>
        <source>Already sent.</source>
        <translation>Już wysłano.</translation>
    </message>
    <message>
        <source>An earlier attempt was interrupted; the message may or may not have gone out, so it is not sent again. Check and send it by hand if needed.</source>
        <translation>Wcześniejsza próba została przerwana; wiadomość mogła wyjść albo nie, więc nie jest wysyłana ponownie. Sprawdź i w razie potrzeby wyślij ją ręcznie.</translation>
    </message>
    <message>
        <source>The secret store is not open, so the password cannot be read.</source>
        <translation>Magazyn sekretów nie jest otwarty, więc nie można odczytać hasła.</translation>
    </message>
    <message>
        <source>SellerDesk test message</source>
        <translation>Wiadomość testowa SellerDesk</translation>
    </message>
    <message>
        <source>This is a test message from SellerDesk. The mail account "%1" works.</source>
        <translation>To jest wiadomość testowa z SellerDesk. Konto pocztowe „%1” działa.</translation>
    </message>
    <message>
        <source>"%1" is not a mobile phone number.</source>
        <translation>„%1” nie jest numerem telefonu komórkowego.</translation>
    </message>
    <message>
        <source>The SMS has no text.</source>
        <translation>SMS nie ma treści.</translation>
    </message>
    <message>
        <source>The SMS gateway could not be reached.</source>
        <translation>Nie udało się połączyć z bramką SMS.</translation>
    </message>
    <message>
        <source>The SMS gateway failed; it will be tried again.</source>
        <translation>Bramka SMS zawiodła; wysyłka zostanie ponowiona.</translation>
    </message>
    <message>
        <source>The SMS gateway refused the message: %1</source>
        <translation>Bramka SMS odrzuciła wiadomość: %1</translation>
    </message>
    <message>
        <source>The SMS gateway's answer was not understood.</source>
        <translation>Nie zrozumiano odpowiedzi bramki SMS.</translation>
    </message>
    <message>
        <source>The mail account needs a server and a sender address.</source>
        <translation>Konto pocztowe wymaga serwera i adresu nadawcy.</translation>
    </message>
    <message>
        <source>The message has no recipient.</source>
        <translation>Wiadomość nie ma odbiorcy.</translation>
    </message>
    <message>
        <source>The mail library could not start.</source>
        <translation>Nie udało się uruchomić biblioteki poczty.</translation>
    </message>
    <message>
        <source>The mail server refused the user name or password.</source>
        <translation>Serwer poczty odrzucił nazwę użytkownika lub hasło.</translation>
    </message>
    <message>
        <source>The mail server's certificate is not trusted.</source>
        <translation>Certyfikat serwera poczty nie jest zaufany.</translation>
    </message>
    <message>
        <source>The mail server does not offer STARTTLS.</source>
        <translation>Serwer poczty nie oferuje STARTTLS.</translation>
    </message>
    <message>
        <source>The mail server refused the message: %1</source>
        <translation>Serwer poczty odrzucił wiadomość: %1</translation>
    </message>
    <message>
        <source>The mail server did not answer in time.</source>
        <translation>Serwer poczty nie odpowiedział na czas.</translation>
    </message>
    <message>
        <source>The mail server could not be reached or failed.</source>
        <translation>Nie udało się połączyć z serwerem poczty albo serwer zawiódł.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1 for the training mail server.</source>
        <translation>Nie można utworzyć folderu %1 dla szkoleniowego serwera poczty.</translation>
    </message>
    <message>
        <source>The training mail server cannot listen on port %1: %2</source>
        <translation>Szkoleniowy serwer poczty nie może nasłuchiwać na porcie %1: %2</translation>
    </message>
    <message>
        <source>The folder %1 cannot be created.</source>
        <translation>Nie można utworzyć folderu %1.</translation>
    </message>
    <message>
        <source>%1 cannot be written: %2</source>
        <translation>Nie można zapisać %1: %2</translation>
    </message>
    <message>
        <source>Return registered</source>
        <translation>Zwrot zarejestrowany</translation>
    </message>
    <message>
        <source>Return received</source>
        <translation>Zwrot odebrany</translation>
    </message>
    <message>
        <source>Return inspected</source>
        <translation>Zwrot sprawdzony</translation>
    </message>
    <message>
        <source>Return refunded</source>
        <translation>Zwrot: pieniądze zwrócone</translation>
    </message>
    <message>
        <source>Return: replacement sent</source>
        <translation>Zwrot: wysłano wymianę</translation>
    </message>
    <message>
        <source>Return: repaired</source>
        <translation>Zwrot: naprawiono</translation>
    </message>
    <message>
        <source>Return rejected</source>
        <translation>Zwrot odrzucony</translation>
    </message>
    <message>
        <source>Service case: state changed</source>
        <translation>Zgłoszenie serwisowe: zmiana stanu</translation>
    </message>
    <message>
        <source>Service case: still at the service</source>
        <translation>Zgłoszenie serwisowe: nadal w serwisie</translation>
    </message>
    <message>
        <source>the return's number</source>
        <translation>numer zwrotu</translation>
    </message>
    <message>
        <source>the returned items, one a line</source>
        <translation>zwracane produkty, każdy w osobnym wierszu</translation>
    </message>
    <message>
        <source>why the items came back</source>
        <translation>powód zwrotu</translation>
    </message>
    <message>
        <source>the returned items' value</source>
        <translation>wartość zwracanych produktów</translation>
    </message>
    <message>
        <source>the service case's number</source>
        <translation>numer zgłoszenia serwisowego</translation>
    </message>
    <message>
        <source>the service case's state</source>
        <translation>stan zgłoszenia serwisowego</translation>
    </message>
    <message>
        <source>since when the case is in its state</source>
        <translation>od kiedy zgłoszenie jest w tym stanie</translation>
    </message>
    <message>
        <source>the note to the last state change</source>
        <translation>notatka do ostatniej zmiany stanu</translation>
    </message>
    <message>
        <source>the product in service (with its serial number)</source>
        <translation>produkt w serwisie (z numerem seryjnym)</translation>
    </message>
    <message>
        <source>when the product is expected back</source>
        <translation>kiedy produkt ma wrócić z serwisu</translation>
    </message>
    <message>
        <source>the end of the warranty</source>
        <translation>koniec gwarancji</translation>
    </message>
</context>
<context>
    <name>sd::money</name>
    <message>
        <source>An amount here may not be negative: %1</source>
        <translation>Ta kwota nie może być ujemna: %1</translation>
    </message>
</context>
<context>
    <name>sd::printing</name>
    <message>
        <source>"%1" is not a printer address; use tcp://HOST:9100, cups:QUEUE or pdf:FILE.</source>
        <translation>„%1” nie jest adresem drukarki; użyj tcp://HOST:9100, cups:KOLEJKA albo pdf:PLIK.</translation>
    </message>
    <message>
        <source>Document printer</source>
        <translation>Drukarka dokumentów</translation>
    </message>
    <message>
        <source>Label printer</source>
        <translation>Drukarka etykiet</translation>
    </message>
    <message>
        <source>Fiscal printer</source>
        <translation>Drukarka fiskalna</translation>
    </message>
    <message>
        <source>created</source>
        <translation>utworzone</translation>
    </message>
    <message>
        <source>rendered</source>
        <translation>przygotowane</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>wysłane</translation>
    </message>
    <message>
        <source>printed</source>
        <translation>wydrukowane</translation>
    </message>
    <message>
        <source>waiting for the printer</source>
        <translation>czeka na drukarkę</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>nieudane</translation>
    </message>
    <message>
        <source>There is nothing to print.</source>
        <translation>Nie ma nic do wydrukowania.</translation>
    </message>
    <message>
        <source>reprint of job %1: %2</source>
        <translation>ponowny wydruk zadania %1: %2</translation>
    </message>
    <message>
        <source>by %1 on %2</source>
        <translation>zlecił %1 na stanowisku %2</translation>
    </message>
    <message>
        <source>A print job needs the document it prints.</source>
        <translation>Zadanie wydruku musi wskazywać drukowany dokument.</translation>
    </message>
    <message>
        <source>This document was already sent to print as job %1. To print it again, reprint that job and give a reason.</source>
        <translation>Ten dokument został już wysłany do druku jako zadanie %1. Aby wydrukować go ponownie, ponów to zadanie i podaj powód.</translation>
    </message>
    <message>
        <source>A reprint needs a reason.</source>
        <translation>Ponowny wydruk wymaga podania powodu.</translation>
    </message>
    <message>
        <source>the printer took the whole job</source>
        <translation>drukarka przyjęła całe zadanie</translation>
    </message>
    <message>
        <source>CUPS finished job %1</source>
        <translation>CUPS zakończył zadanie %1</translation>
    </message>
    <message>
        <source>sent before (from the action ledger)</source>
        <translation>wysłane wcześniej (według rejestru działań)</translation>
    </message>
    <message>
        <source>The print was interrupted while it was being sent. If nothing came out, reprint the job with a reason.</source>
        <translation>Wydruk został przerwany podczas wysyłania. Jeśli nic się nie wydrukowało, ponów zadanie z podaniem powodu.</translation>
    </message>
    <message>
        <source>%1 as it is</source>
        <translation>%1 bez zmian</translation>
    </message>
    <message>
        <source>PDF rendered at %1 x %2 mm, black and white</source>
        <translation>PDF przygotowany w rozmiarze %1 x %2 mm, czarno-biały</translation>
    </message>
    <message>
        <source>to %1</source>
        <translation>do %1</translation>
    </message>
    <message>
        <source>to %1 as %2</source>
        <translation>do %1 jako %2</translation>
    </message>
    <message>
        <source>There is no print job %1.</source>
        <translation>Nie ma zadania wydruku %1.</translation>
    </message>
    <message>
        <source>The CUPS command %1 is not installed.</source>
        <translation>Polecenie CUPS %1 nie jest zainstalowane.</translation>
    </message>
    <message>
        <source>CUPS did not answer in time.</source>
        <translation>CUPS nie odpowiedział na czas.</translation>
    </message>
    <message>
        <source>CUPS refused the job: %1</source>
        <translation>CUPS odrzucił zadanie: %1</translation>
    </message>
    <message>
        <source>A PDF cannot be sent to a printer's raw port; choose a CUPS queue for PDF labels.</source>
        <translation>Pliku PDF nie można wysłać bezpośrednio na port drukarki; dla etykiet PDF wybierz kolejkę CUPS.</translation>
    </message>
    <message>
        <source>A ZPL label cannot be written as a PDF file; send it to a label printer.</source>
        <translation>Etykiety ZPL nie można zapisać jako pliku PDF; wyślij ją do drukarki etykiet.</translation>
    </message>
    <message>
        <source>The PDF file %1 cannot be written.</source>
        <translation>Nie można zapisać pliku PDF %1.</translation>
    </message>
    <message>
        <source>Unknown printer.</source>
        <translation>Nieznana drukarka.</translation>
    </message>
    <message>
        <source>The printer at %1 does not answer.</source>
        <translation>Drukarka pod adresem %1 nie odpowiada.</translation>
    </message>
    <message>
        <source>The printer at %1 stopped taking the label.</source>
        <translation>Drukarka pod adresem %1 przestała przyjmować etykietę.</translation>
    </message>
    <message>
        <source>The print file cannot be written.</source>
        <translation>Nie można zapisać pliku do druku.</translation>
    </message>
    <message>
        <source>The label is not a PDF that can be printed.</source>
        <translation>Etykieta nie jest plikiem PDF, który można wydrukować.</translation>
    </message>
    <message>
        <source>The label PDF has no pages.</source>
        <translation>Plik PDF etykiety nie ma stron.</translation>
    </message>
    <message>
        <source>The label could not be prepared for printing.</source>
        <translation>Nie udało się przygotować etykiety do druku.</translation>
    </message>
    <message>
        <source>The label PDF could not be rendered.</source>
        <translation>Nie udało się wyrenderować pliku PDF etykiety.</translation>
    </message>
    <message>
        <source>Test page</source>
        <translation>Strona testowa</translation>
    </message>
</context>
<context>
    <name>sd::returns</name>
    <message>
        <source>registered</source>
        <translation>zarejestrowany</translation>
    </message>
    <message>
        <source>received</source>
        <translation>odebrany</translation>
    </message>
    <message>
        <source>inspected</source>
        <translation>sprawdzony</translation>
    </message>
    <message>
        <source>refunded</source>
        <translation>zwrot pieniędzy</translation>
    </message>
    <message>
        <source>replaced</source>
        <translation>wymiana</translation>
    </message>
    <message>
        <source>repaired</source>
        <translation>naprawa</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>odrzucony</translation>
    </message>
</context>
<context>
    <name>sd::scanning</name>
    <message>
        <source>order number</source>
        <translation>numer zamówienia</translation>
    </message>
    <message>
        <source>marketplace order id</source>
        <translation>identyfikator zamówienia w serwisie</translation>
    </message>
    <message>
        <source>tracking number</source>
        <translation>numer przesyłki</translation>
    </message>
    <message>
        <source>courier label barcode</source>
        <translation>kod kreskowy z etykiety kuriera</translation>
    </message>
    <message>
        <source>product EAN</source>
        <translation>EAN produktu</translation>
    </message>
    <message>
        <source>product SKU</source>
        <translation>SKU produktu</translation>
    </message>
    <message>
        <source>command barcode</source>
        <translation>kod polecenia</translation>
    </message>
    <message>
        <source>unknown code</source>
        <translation>nieznany kod</translation>
    </message>
    <message>
        <source>The scanner port %1 could not be opened: %2</source>
        <translation>Nie udało się otworzyć portu skanera %1: %2</translation>
    </message>
</context>
<context>
    <name>sd::security</name>
    <message>
        <source>Encrypting or decrypting the secret file failed.</source>
        <translation>Szyfrowanie lub odszyfrowanie pliku sekretów nie powiodło się.</translation>
    </message>
    <message>
        <source>The system keychain refused to %1 a secret.</source>
        <translation>Systemowy pęk kluczy odmówił operacji na sekrecie: %1.</translation>
    </message>
    <message>
        <source>The system keychain does not keep secrets.</source>
        <translation>Systemowy pęk kluczy nie przechowuje sekretów.</translation>
    </message>
    <message>
        <source>store</source>
        <translation>zapis</translation>
    </message>
    <message>
        <source>read</source>
        <translation>odczyt</translation>
    </message>
    <message>
        <source>remove</source>
        <translation>usunięcie</translation>
    </message>
    <message>
        <source>The encrypted secret file needs a passphrase.</source>
        <translation>Zaszyfrowany plik sekretów wymaga hasła.</translation>
    </message>
    <message>
        <source>No system keychain is available to keep the Allegro tokens safely. Unlock or install a keychain (for example GNOME Keyring), or choose the encrypted file store and give it a passphrase (for the command line: set SD_SECRET_PASSPHRASE).</source>
        <translation>Brak systemowego pęku kluczy, w którym można bezpiecznie przechować tokeny Allegro. Odblokuj lub zainstaluj pęk kluczy (np. GNOME Keyring) albo wybierz zaszyfrowany plik sekretów i podaj do niego hasło (w wierszu poleceń: ustaw SD_SECRET_PASSPHRASE).</translation>
    </message>
</context>
<context>
    <name>sd::service</name>
    <message>
        <source>Registered</source>
        <translation>Przyjęte</translation>
    </message>
    <message>
        <source>Sent to service</source>
        <translation>Wysłane do serwisu</translation>
    </message>
    <message>
        <source>At service</source>
        <translation>W serwisie</translation>
    </message>
    <message>
        <source>Returned from service</source>
        <translation>Wróciło z serwisu</translation>
    </message>
    <message>
        <source>Handed back to the buyer</source>
        <translation>Wydane kupującemu</translation>
    </message>
    <message>
        <source>Replaced</source>
        <translation>Wymienione</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Odrzucone</translation>
    </message>
</context>
<context>
    <name>sd::storage</name>
    <message>
        <source>The action ledger lost an entry.</source>
        <translation>Z rejestru działań zniknął wpis.</translation>
    </message>
    <message>
        <source>No action was recorded under %1.</source>
        <translation>Pod kluczem %1 nie zapisano żadnego działania.</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Nowe</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>W realizacji</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>Wysłane</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Zakończone</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Anulowane</translation>
    </message>
    <message>
        <source>This database was written by a newer SellerDesk (schema %1; this version knows up to %2). Update SellerDesk before opening it.</source>
        <translation>Tę bazę danych zapisała nowsza wersja SellerDesk (schemat %1; ta wersja zna schematy do %2). Zaktualizuj SellerDesk, zanim ją otworzysz.</translation>
    </message>
    <message>
        <source>The database could not be upgraded to schema %1: %2</source>
        <translation>Nie udało się uaktualnić bazy danych do schematu %1: %2</translation>
    </message>
    <message>
        <source>The database is locked by another program. Close the other SellerDesk or database tool and try again.</source>
        <translation>Baza danych jest zablokowana przez inny program. Zamknij drugi SellerDesk lub narzędzie bazodanowe i spróbuj ponownie.</translation>
    </message>
    <message>
        <source>The database cannot be written: it is read-only.</source>
        <translation>Nie można zapisać bazy danych: jest tylko do odczytu.</translation>
    </message>
    <message>
        <source>The file is not a SellerDesk database.</source>
        <translation>Ten plik nie jest bazą danych SellerDesk.</translation>
    </message>
    <message>
        <source>The record exists already.</source>
        <translation>Taki wpis już istnieje.</translation>
    </message>
    <message>
        <source>The database reported an error (%1).</source>
        <translation>Baza danych zgłosiła błąd (%1).</translation>
    </message>
    <message>
        <source>There is no status named "%1".</source>
        <translation>Nie ma statusu o nazwie „%1”.</translation>
    </message>
    <message>
        <source>No order statuses are defined.</source>
        <translation>Nie zdefiniowano żadnych statusów zamówień.</translation>
    </message>
    <message>
        <source>A status needs a name.</source>
        <translation>Status musi mieć nazwę.</translation>
    </message>
    <message>
        <source>A status name can have at most 60 characters.</source>
        <translation>Nazwa statusu może mieć najwyżej 60 znaków.</translation>
    </message>
    <message>
        <source>%1 is not a colour; use the form #RRGGBB.</source>
        <translation>%1 nie jest kolorem; użyj zapisu #RRGGBB.</translation>
    </message>
    <message>
        <source>A status named "%1" exists already.</source>
        <translation>Status o nazwie „%1” już istnieje.</translation>
    </message>
    <message>
        <source>The profile folder %1 cannot be created.</source>
        <translation>Nie można utworzyć folderu profilu %1.</translation>
    </message>
    <message>
        <source>No database file was given.</source>
        <translation>Nie podano pliku bazy danych.</translation>
    </message>
    <message>
        <source>%1 is not a file.</source>
        <translation>%1 nie jest plikiem.</translation>
    </message>
    <message>
        <source>The database %1 is read-only. SellerDesk needs to write to it: check the file's permissions.</source>
        <translation>Baza danych %1 jest tylko do odczytu. SellerDesk musi do niej zapisywać: sprawdź uprawnienia pliku.</translation>
    </message>
    <message>
        <source>The folder %1 does not exist.</source>
        <translation>Folder %1 nie istnieje.</translation>
    </message>
    <message>
        <source>The folder %1 is read-only. SellerDesk keeps its journal beside the database and needs to write there.</source>
        <translation>Folder %1 jest tylko do odczytu. SellerDesk trzyma dziennik obok bazy danych i musi tam zapisywać.</translation>
    </message>
    <message>
        <source>%1 is not a PostgreSQL address; expected postgresql://user:password@host:port/database</source>
        <translation>%1 nie jest adresem PostgreSQL; oczekiwano postgresql://użytkownik:hasło@host:port/baza</translation>
    </message>
    <message>
        <source>%1 is not a SellerDesk database (it is not an SQLite database at all).</source>
        <translation>%1 nie jest bazą danych SellerDesk (w ogóle nie jest bazą SQLite).</translation>
    </message>
    <message>
        <source>Cannot connect to the PostgreSQL database %1.</source>
        <translation>Nie można połączyć się z bazą PostgreSQL %1.</translation>
    </message>
    <message>
        <source>%1 is not a SellerDesk database.</source>
        <translation>%1 nie jest bazą danych SellerDesk.</translation>
    </message>
    <message>
        <source>%1 is not a SellerDesk database: it holds other tables. Choose another file or an empty database.</source>
        <translation>%1 nie jest bazą danych SellerDesk: zawiera inne tabele. Wybierz inny plik albo pustą bazę.</translation>
    </message>
    <message>
        <source>The database %1 cannot be opened.</source>
        <translation>Nie można otworzyć bazy danych %1.</translation>
    </message>
    <message>
        <source>Commit without a transaction.</source>
        <translation>Zatwierdzenie bez otwartej transakcji.</translation>
    </message>
    <message>
        <source>A part of the batch failed; nothing of it was saved.</source>
        <translation>Część paczki się nie powiodła; nic z niej nie zapisano.</translation>
    </message>
    <message>
        <source>No order statuses are defined; add one first.</source>
        <translation>Nie zdefiniowano statusów zamówień; najpierw dodaj status.</translation>
    </message>
    <message>
        <source>A change to an order must say who makes it.</source>
        <translation>Zmiana zamówienia musi wskazywać, kto ją wprowadza.</translation>
    </message>
    <message>
        <source>There is no order %1.</source>
        <translation>Nie ma zamówienia %1.</translation>
    </message>
    <message>
        <source>Order %1 is damaged in the database.</source>
        <translation>Zamówienie %1 jest uszkodzone w bazie danych.</translation>
    </message>
    <message>
        <source>No order id was given.</source>
        <translation>Nie podano numeru zamówienia.</translation>
    </message>
    <message>
        <source>The marketplace id %1 belongs to orders of several accounts; use the SellerDesk order number.</source>
        <translation>Identyfikator %1 z serwisu należy do zamówień kilku kont; użyj numeru zamówienia w SellerDesk.</translation>
    </message>
    <message>
        <source>No mail account is configured yet</source>
        <translation>Nie skonfigurowano jeszcze konta pocztowego</translation>
    </message>
    <message>
        <source>A saved view needs a name.</source>
        <translation>Zapisany widok musi mieć nazwę.</translation>
    </message>
    <message>
        <source>A saved view's name can have at most 60 characters.</source>
        <translation>Nazwa zapisanego widoku może mieć najwyżej 60 znaków.</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Numer</translation>
    </message>
    <message>
        <source>Marketplace</source>
        <translation>Serwis</translation>
    </message>
    <message>
        <source>Marketplace number</source>
        <translation>Numer w serwisie</translation>
    </message>
    <message>
        <source>Bought</source>
        <translation>Kupiono</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Buyer login</source>
        <translation>Login kupującego</translation>
    </message>
    <message>
        <source>Buyer</source>
        <translation>Kupujący</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Pozycje</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Razem</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Waluta</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>Sposób płatności</translation>
    </message>
    <message>
        <source>Payment status</source>
        <translation>Stan płatności</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Opłacone</translation>
    </message>
    <message>
        <source>Delivery method</source>
        <translation>Sposób dostawy</translation>
    </message>
    <message>
        <source>Street</source>
        <translation>Ulica</translation>
    </message>
    <message>
        <source>Post code</source>
        <translation>Kod pocztowy</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Miejscowość</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Kraj</translation>
    </message>
    <message>
        <source>Pick-up point</source>
        <translation>Punkt odbioru</translation>
    </message>
    <message>
        <source>Invoice</source>
        <translation>Faktura</translation>
    </message>
    <message>
        <source>NIP</source>
        <translation>NIP</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tagi</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notatki</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>tak</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>The status no longer exists.</source>
        <translation>Ten status już nie istnieje.</translation>
    </message>
    <message>
        <source>The last status cannot be removed: orders need one.</source>
        <translation>Ostatniego statusu nie można usunąć: zamówienia muszą jakiś mieć.</translation>
    </message>
    <message>
        <source>Choose another status for the orders of the removed one.</source>
        <translation>Wybierz inny status dla zamówień usuwanego statusu.</translation>
    </message>
    <message>
        <source>status %1 removed</source>
        <translation>usunięto status %1</translation>
    </message>
    <message>
        <source>The database %1 is damaged. Restore your latest backup (sellerdesk-cli backup restore FILE); SellerDesk did not change the file.</source>
        <translation>Baza danych %1 jest uszkodzona. Przywróć najnowszą kopię zapasową (sellerdesk-cli backup restore PLIK); SellerDesk nie zmienił tego pliku.</translation>
    </message>
</context>
<context>
    <name>sd::storage::Status</name>
    <message>
        <source>New</source>
        <translation>Nowe</translation>
    </message>
    <message>
        <source>To ship</source>
        <translation>Do wysłania</translation>
    </message>
    <message>
        <source>Shipped</source>
        <translation>Wysłane</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Zakończone</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Anulowane</translation>
    </message>
</context>
<context>
    <name>sd::training</name>
    <message>
        <source>Bad fault spec item "%1": %2. Expected name=probability[:ms] items separated by commas, e.g. 500=0.1,429=0.05,slow=0.1:1500.</source>
        <translation>Błędny element specyfikacji awarii „%1”: %2. Oczekiwano elementów nazwa=prawdopodobieństwo[:ms] rozdzielonych przecinkami, np. 500=0.1,429=0.05,slow=0.1:1500.</translation>
    </message>
    <message>
        <source>no "="</source>
        <translation>brak „=”</translation>
    </message>
    <message>
        <source>the probability must be from 0 to 1</source>
        <translation>prawdopodobieństwo musi wynosić od 0 do 1</translation>
    </message>
    <message>
        <source>only slow takes milliseconds</source>
        <translation>milisekundy przyjmuje tylko slow</translation>
    </message>
    <message>
        <source>the delay must be 0 to 60000 ms</source>
        <translation>opóźnienie musi wynosić od 0 do 60000 ms</translation>
    </message>
    <message>
        <source>This operation is not available.</source>
        <translation>Ta operacja jest niedostępna.</translation>
    </message>
    <message>
        <source>The resource was not found.</source>
        <translation>Nie znaleziono zasobu.</translation>
    </message>
    <message>
        <source>The training marketplace cannot listen on port %1.</source>
        <translation>Serwis szkoleniowy nie może nasłuchiwać na porcie %1.</translation>
    </message>
    <message>
        <source>Cannot read the training state file %1.</source>
        <translation>Nie można odczytać pliku stanu serwisu szkoleniowego %1.</translation>
    </message>
    <message>
        <source>The file %1 is not a training marketplace state file.</source>
        <translation>Plik %1 nie jest plikiem stanu serwisu szkoleniowego.</translation>
    </message>
    <message>
        <source>Cannot save the training state file %1.</source>
        <translation>Nie można zapisać pliku stanu serwisu szkoleniowego %1.</translation>
    </message>
    <message>
        <source>Too many requests. Wait a moment and try again.</source>
        <translation>Zbyt wiele zapytań. Odczekaj chwilę i spróbuj ponownie.</translation>
    </message>
    <message>
        <source>The request contains incorrect data. Contact the author of the application.</source>
        <translation>Zapytanie zawiera niepoprawne dane. Skontaktuj się z autorem aplikacji.</translation>
    </message>
    <message>
        <source>Allegro has a problem. Try again later.</source>
        <translation>Allegro ma problem. Spróbuj ponownie później.</translation>
    </message>
    <message>
        <source>SellerDesk training marketplace</source>
        <translation>Serwis szkoleniowy SellerDesk</translation>
    </message>
    <message>
        <source>The application is connected. You can close this page and go back to SellerDesk.</source>
        <translation>Aplikacja została połączona. Możesz zamknąć tę stronę i wrócić do SellerDesk.</translation>
    </message>
    <message>
        <source>This code is unknown or has expired. Start connecting again in SellerDesk.</source>
        <translation>Ten kod jest nieznany lub wygasł. Rozpocznij łączenie ponownie w SellerDesk.</translation>
    </message>
    <message>
        <source>An application asks for access to the training shop's account. Check that the code matches the one the application shows.</source>
        <translation>Aplikacja prosi o dostęp do konta sklepu szkoleniowego. Sprawdź, czy kod zgadza się z kodem pokazanym przez aplikację.</translation>
    </message>
    <message>
        <source>Code:</source>
        <translation>Kod:</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Zezwól</translation>
    </message>
    <message>
        <source>This code is unknown or has expired.</source>
        <translation>Ten kod jest nieznany lub wygasł.</translation>
    </message>
    <message>
        <source>The limit must be a number from 1 to 1000.</source>
        <translation>Limit musi być liczbą od 1 do 1000.</translation>
    </message>
    <message>
        <source>The event id is not valid.</source>
        <translation>Identyfikator zdarzenia jest niepoprawny.</translation>
    </message>
    <message>
        <source>Unknown event type.</source>
        <translation>Nieznany typ zdarzenia.</translation>
    </message>
    <message>
        <source>The order was not found.</source>
        <translation>Nie znaleziono zamówienia.</translation>
    </message>
    <message>
        <source>The order id is not valid.</source>
        <translation>Identyfikator zamówienia jest niepoprawny.</translation>
    </message>
    <message>
        <source>The page size or offset is not valid.</source>
        <translation>Rozmiar strony lub przesunięcie jest niepoprawne.</translation>
    </message>
    <message>
        <source>Too many results asked for: narrow the date range.</source>
        <translation>Zażądano zbyt wielu wyników: zawęź zakres dat.</translation>
    </message>
    <message>
        <source>Unknown sort order.</source>
        <translation>Nieznany porządek sortowania.</translation>
    </message>
    <message>
        <source>This status cannot be set by the seller.</source>
        <translation>Sprzedający nie może ustawić tego statusu.</translation>
    </message>
    <message>
        <source>The order has changed in the meantime. Refresh it and try again.</source>
        <translation>Zamówienie zmieniło się w międzyczasie. Odśwież je i spróbuj ponownie.</translation>
    </message>
    <message>
        <source>Unknown carrier.</source>
        <translation>Nieznany przewoźnik.</translation>
    </message>
    <message>
        <source>The tracking number is not valid.</source>
        <translation>Numer przesyłki jest niepoprawny.</translation>
    </message>
    <message>
        <source>The carrier name is too long.</source>
        <translation>Nazwa przewoźnika jest za długa.</translation>
    </message>
    <message>
        <source>This tracking number is already used in too many orders.</source>
        <translation>Ten numer przesyłki jest już użyty w zbyt wielu zamówieniach.</translation>
    </message>
    <message>
        <source>An item does not belong to this order.</source>
        <translation>Jedna z pozycji nie należy do tego zamówienia.</translation>
    </message>
    <message>
        <source>Give 1 to 20 tracking numbers.</source>
        <translation>Podaj od 1 do 20 numerów przesyłek.</translation>
    </message>
    <message>
        <source>The invoice file name is missing.</source>
        <translation>Brak nazwy pliku faktury.</translation>
    </message>
    <message>
        <source>This order already has an invoice.</source>
        <translation>To zamówienie ma już fakturę.</translation>
    </message>
    <message>
        <source>The invoice must be a PDF file.</source>
        <translation>Faktura musi być plikiem PDF.</translation>
    </message>
    <message>
        <source>This invoice already has a file.</source>
        <translation>Ta faktura ma już plik.</translation>
    </message>
    <message>
        <source>The invoice file is larger than 3 MB.</source>
        <translation>Plik faktury jest większy niż 3 MB.</translation>
    </message>
    <message>
        <source>The invoice file is empty.</source>
        <translation>Plik faktury jest pusty.</translation>
    </message>
    <message>
        <source>The invoice was not found.</source>
        <translation>Nie znaleziono faktury.</translation>
    </message>
    <message>
        <source>The offer was not found.</source>
        <translation>Nie znaleziono oferty.</translation>
    </message>
    <message>
        <source>The stock must be 0 or more.</source>
        <translation>Stan magazynowy musi wynosić co najmniej 0.</translation>
    </message>
    <message>
        <source>The price is not valid.</source>
        <translation>Cena jest niepoprawna.</translation>
    </message>
    <message>
        <source>The signature is too long.</source>
        <translation>Sygnatura jest za długa.</translation>
    </message>
    <message>
        <source>The command id is not valid.</source>
        <translation>Identyfikator polecenia jest niepoprawny.</translation>
    </message>
    <message>
        <source>This command was already sent.</source>
        <translation>To polecenie zostało już wysłane.</translation>
    </message>
    <message>
        <source>The stock change is not valid.</source>
        <translation>Zmiana stanu magazynowego jest niepoprawna.</translation>
    </message>
    <message>
        <source>The publication change is not valid.</source>
        <translation>Zmiana publikacji jest niepoprawna.</translation>
    </message>
    <message>
        <source>The list of offers is not valid.</source>
        <translation>Lista ofert jest niepoprawna.</translation>
    </message>
    <message>
        <source>The offer does not exist.</source>
        <translation>Oferta nie istnieje.</translation>
    </message>
    <message>
        <source>The quantity must be greater than 0.</source>
        <translation>Liczba sztuk musi być większa od 0.</translation>
    </message>
    <message>
        <source>An offer without stock cannot be activated.</source>
        <translation>Oferty bez stanu magazynowego nie można aktywować.</translation>
    </message>
    <message>
        <source>The command was not found.</source>
        <translation>Nie znaleziono polecenia.</translation>
    </message>
    <message>
        <source>The conversation was not found.</source>
        <translation>Nie znaleziono wątku.</translation>
    </message>
    <message>
        <source>The message must have 1 to 2000 characters.</source>
        <translation>Wiadomość musi mieć od 1 do 2000 znaków.</translation>
    </message>
    <message>
        <source>The recipient, text and order are required.</source>
        <translation>Odbiorca, treść i zamówienie są wymagane.</translation>
    </message>
    <message>
        <source>This buyer did not buy in this order.</source>
        <translation>Ten kupujący nie kupował w tym zamówieniu.</translation>
    </message>
    <message>
        <source>The read flag is missing.</source>
        <translation>Brak znacznika przeczytania.</translation>
    </message>
    <message>
        <source>The refund is missing required data.</source>
        <translation>W zwrocie brakuje wymaganych danych.</translation>
    </message>
    <message>
        <source>The payment was not found.</source>
        <translation>Nie znaleziono płatności.</translation>
    </message>
    <message>
        <source>This payment cannot be refunded.</source>
        <translation>Tej płatności nie można zwrócić.</translation>
    </message>
    <message>
        <source>The quantity is not valid.</source>
        <translation>Liczba sztuk jest niepoprawna.</translation>
    </message>
    <message>
        <source>The refund is larger than what is left of the payment.</source>
        <translation>Zwrot jest większy niż pozostała kwota płatności.</translation>
    </message>
    <message>
        <source>The item was not found.</source>
        <translation>Nie znaleziono pozycji.</translation>
    </message>
    <message>
        <source>A commission refund was already claimed for this item.</source>
        <translation>Dla tej pozycji złożono już wniosek o rabat transakcyjny.</translation>
    </message>
    <message>
        <source>The time to claim a commission refund has passed.</source>
        <translation>Minął termin na złożenie wniosku o rabat transakcyjny.</translation>
    </message>
    <message>
        <source>The commission refund claim was not found.</source>
        <translation>Nie znaleziono wniosku o rabat transakcyjny.</translation>
    </message>
    <message>
        <source>This claim has already been processed.</source>
        <translation>Ten wniosek został już rozpatrzony.</translation>
    </message>
    <message>
        <source>The previous change of this offer is still being processed.</source>
        <translation>Poprzednia zmiana tej oferty jest wciąż przetwarzana.</translation>
    </message>
    <message>
        <source>The operation was not found.</source>
        <translation>Nie znaleziono operacji.</translation>
    </message>
    <message>
        <source>The shipment data is not complete.</source>
        <translation>Dane przesyłki są niekompletne.</translation>
    </message>
    <message>
        <source>The shipment was not found.</source>
        <translation>Nie znaleziono przesyłki.</translation>
    </message>
    <message>
        <source>This is a training profile: it works only with the training services on this computer and does not contact %1. Create a new profile for real work.</source>
        <translation>To jest profil szkoleniowy: działa tylko z usługami szkoleniowymi na tym komputerze i nie łączy się z %1. Do prawdziwej pracy utwórz nowy profil.</translation>
    </message>
    <message>
        <source>The discussion was not found.</source>
        <translation>Nie znaleziono dyskusji.</translation>
    </message>
    <message>
        <source>The status filter is not valid.</source>
        <translation>Filtr statusu jest nieprawidłowy.</translation>
    </message>
    <message>
        <source>The message must have 1 to 20000 characters.</source>
        <translation>Wiadomość musi mieć od 1 do 20000 znaków.</translation>
    </message>
    <message>
        <source>This message type is not allowed in a discussion.</source>
        <translation>Ten rodzaj wiadomości nie jest dozwolony w dyskusji.</translation>
    </message>
    <message>
        <source>The discussion is closed: no more messages can be added.</source>
        <translation>Dyskusja jest zamknięta: nie można dodać kolejnych wiadomości.</translation>
    </message>
    <message>
        <source>unknown fault; known: 500, 502, 503, 504, 429, slow, malformed, truncated, duplicate-events, reorder-events, storm</source>
        <translation>nieznana awaria; znane: 500, 502, 503, 504, 429, slow, malformed, truncated, duplicate-events, reorder-events, storm</translation>
    </message>
</context>
<context>
    <name>sd::ui::AccessPages</name>
    <message>
        <source>Back up</source>
        <translation>Kopia zapasowa</translation>
    </message>
    <message>
        <source>A shared PostgreSQL database is backed up on the server with pg_dump (see docs/deployment.md).</source>
        <translation>Kopię zapasową wspólnej bazy PostgreSQL wykonuje się na serwerze narzędziem pg_dump (zob. docs/deployment.md).</translation>
    </message>
    <message>
        <source>Back up the profile</source>
        <translation>Kopia zapasowa profilu</translation>
    </message>
    <message>
        <source>SellerDesk backups (*.sqlite)</source>
        <translation>Kopie zapasowe SellerDesk (*.sqlite)</translation>
    </message>
    <message>
        <source>The profile was saved to %1.</source>
        <translation>Profil zapisano w %1.</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Przywracanie</translation>
    </message>
    <message>
        <source>Restore a backup</source>
        <translation>Przywróć kopię zapasową</translation>
    </message>
    <message>
        <source>Replace everything in this profile with the backup %1? SellerDesk closes afterwards; start it again.</source>
        <translation>Zastąpić całą zawartość profilu kopią zapasową %1? Potem SellerDesk się zamknie; uruchom go ponownie.</translation>
    </message>
    <message>
        <source>The backup was restored. SellerDesk closes now.</source>
        <translation>Kopia zapasowa została przywrócona. SellerDesk zamyka się teraz.</translation>
    </message>
    <message>
        <source>Users and roles…</source>
        <translation>Użytkownicy i role…</translation>
    </message>
    <message>
        <source>Connect to the warehouse database…</source>
        <translation>Połączenie z bazą danych magazynu…</translation>
    </message>
    <message>
        <source>Back up the profile…</source>
        <translation>Kopia zapasowa profilu…</translation>
    </message>
    <message>
        <source>Restore a backup…</source>
        <translation>Przywróć kopię zapasową…</translation>
    </message>
    <message>
        <source>Warehouse database</source>
        <translation>Baza danych magazynu</translation>
    </message>
    <message>
        <source>Saved. SellerDesk uses this database from the next start.</source>
        <translation>Zapisano. SellerDesk będzie używać tej bazy od następnego uruchomienia.</translation>
    </message>
</context>
<context>
    <name>sd::ui::AccountsDialog</name>
    <message>
        <source>Allegro</source>
        <translation>Allegro</translation>
    </message>
    <message>
        <source>Allegro Sandbox (tests)</source>
        <translation>Allegro Sandbox (testy)</translation>
    </message>
    <message>
        <source>Training marketplace</source>
        <translation>Serwis szkoleniowy</translation>
    </message>
    <message>
        <source>Give the account a name, e.g. the shop's login.</source>
        <translation>Nadaj kontu nazwę, np. login sklepu.</translation>
    </message>
    <message>
        <source>The name is too long (at most 60 characters).</source>
        <translation>Nazwa jest za długa (najwyżej 60 znaków).</translation>
    </message>
    <message>
        <source>Enter the training marketplace's address, e.g. http://127.0.0.1:8470.</source>
        <translation>Wpisz adres serwisu szkoleniowego, np. http://127.0.0.1:8470.</translation>
    </message>
    <message>
        <source>The training marketplace runs on this computer: its address starts with http://127.0.0.1.</source>
        <translation>Serwis szkoleniowy działa na tym komputerze: jego adres zaczyna się od http://127.0.0.1.</translation>
    </message>
    <message>
        <source>Enter the Client ID of your application registered at Allegro.</source>
        <translation>Wpisz Client ID aplikacji zarejestrowanej w Allegro.</translation>
    </message>
    <message>
        <source>Marketplace accounts</source>
        <translation>Konta w serwisach sprzedażowych</translation>
    </message>
    <message>
        <source>Keep sign-ins in an &amp;encrypted file…</source>
        <translation>Przechowuj logowania w &amp;zaszyfrowanym pliku…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Marketplace</source>
        <translation>Serwis</translation>
    </message>
    <message>
        <source>Seller</source>
        <translation>Sprzedawca</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Last download</source>
        <translation>Ostatnie pobranie</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Dodaj…</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>&amp;Połącz…</translation>
    </message>
    <message>
        <source>Re&amp;name…</source>
        <translation>Zmień &amp;nazwę…</translation>
    </message>
    <message>
        <source>Download &amp;every…</source>
        <translation>Pobieraj &amp;co…</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Rozłącz</translation>
    </message>
    <message>
        <source>&amp;Remove…</source>
        <translation>&amp;Usuń…</translation>
    </message>
    <message>
        <source>Download &amp;now</source>
        <translation>Pobierz &amp;teraz</translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation>Łączenie</translation>
    </message>
    <message>
        <source>&amp;Open the page</source>
        <translation>&amp;Otwórz stronę</translation>
    </message>
    <message>
        <source>Co&amp;py the code</source>
        <translation>&amp;Kopiuj kod</translation>
    </message>
    <message>
        <source>Cancel connecting</source>
        <translation>Przerwij łączenie</translation>
    </message>
    <message>
        <source>Looking for the system keychain…</source>
        <translation>Szukam systemowego magazynu haseł…</translation>
    </message>
    <message>
        <source>Sign-ins can also be kept in a file encrypted with a passphrase you choose.</source>
        <translation>Logowania można też przechowywać w pliku zaszyfrowanym wybranym przez Ciebie hasłem.</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>połączone</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>niepołączone</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nigdy</translation>
    </message>
    <message numerus="yes">
        <source>every %n min</source>
        <translation>
            <numerusform>co %n min</numerusform>
            <numerusform>co %n min</numerusform>
            <numerusform>co %n min</numerusform>
        </translation>
    </message>
    <message>
        <source>Re&amp;connect…</source>
        <translation>Połącz &amp;ponownie…</translation>
    </message>
    <message>
        <source>Choose where sign-ins are kept first (see above).</source>
        <translation>Najpierw wybierz, gdzie przechowywać logowania (zobacz wyżej).</translation>
    </message>
    <message>
        <source>Another account is being connected; finish or cancel that first.</source>
        <translation>Trwa łączenie innego konta; najpierw je dokończ albo przerwij.</translation>
    </message>
    <message>
        <source>An account named “%1” already exists.</source>
        <translation>Konto o nazwie „%1” już istnieje.</translation>
    </message>
    <message>
        <source>Choose an account first.</source>
        <translation>Najpierw wybierz konto.</translation>
    </message>
    <message>
        <source>Connecting is not possible right now.</source>
        <translation>Łączenie nie jest teraz możliwe.</translation>
    </message>
    <message>
        <source>Connecting “%1”</source>
        <translation>Łączenie „%1”</translation>
    </message>
    <message>
        <source>Asking the marketplace for a confirmation code…</source>
        <translation>Pobieram kod potwierdzenia z serwisu…</translation>
    </message>
    <message>
        <source>Open the page below, sign in to the marketplace and confirm the code. SellerDesk waits for your confirmation until %1.</source>
        <translation>Otwórz stronę poniżej, zaloguj się w serwisie i potwierdź kod. SellerDesk czeka na potwierdzenie do %1.</translation>
    </message>
    <message>
        <source>Connected as %1. Orders download in the background.</source>
        <translation>Połączono jako %1. Zamówienia pobierają się w tle.</translation>
    </message>
    <message>
        <source>Connecting was cancelled.</source>
        <translation>Łączenie przerwano.</translation>
    </message>
    <message>
        <source>Renamed to “%1”.</source>
        <translation>Zmieniono nazwę na „%1”.</translation>
    </message>
    <message numerus="yes">
        <source>Orders of this account are downloaded every %n minute(s).</source>
        <translation>
            <numerusform>Zamówienia tego konta są pobierane co %n minutę.</numerusform>
            <numerusform>Zamówienia tego konta są pobierane co %n minuty.</numerusform>
            <numerusform>Zamówienia tego konta są pobierane co %n minut.</numerusform>
        </translation>
    </message>
    <message>
        <source>Disconnected. The orders already downloaded stay; connect again to resume downloading.</source>
        <translation>Rozłączono. Pobrane zamówienia zostają; połącz ponownie, aby wznowić pobieranie.</translation>
    </message>
    <message>
        <source>The account was removed. Its orders stay in SellerDesk.</source>
        <translation>Konto usunięto. Jego zamówienia zostają w SellerDesk.</translation>
    </message>
    <message>
        <source>Connect “%1”</source>
        <translation>Połącz „%1”</translation>
    </message>
    <message>
        <source>Client Secret of your application registered at Allegro:</source>
        <translation>Client Secret aplikacji zarejestrowanej w Allegro:</translation>
    </message>
    <message>
        <source>Rename account</source>
        <translation>Zmiana nazwy konta</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>Nowa nazwa:</translation>
    </message>
    <message>
        <source>Download interval</source>
        <translation>Częstotliwość pobierania</translation>
    </message>
    <message>
        <source>Download new orders every (minutes):</source>
        <translation>Pobieraj nowe zamówienia co (minuty):</translation>
    </message>
    <message>
        <source>Remove account</source>
        <translation>Usuwanie konta</translation>
    </message>
    <message>
        <source>Remove “%1”? Its orders stay in SellerDesk; downloading stops and the sign-in is forgotten.</source>
        <translation>Usunąć „%1”? Jego zamówienia zostaną w SellerDesk; pobieranie ustanie, a logowanie zostanie zapomniane.</translation>
    </message>
    <message>
        <source>Encrypted file for sign-ins</source>
        <translation>Zaszyfrowany plik z logowaniami</translation>
    </message>
    <message>
        <source>Choose a passphrase (at least 8 characters). SellerDesk asks for it at every start and cannot recover it.</source>
        <translation>Wybierz hasło (co najmniej 8 znaków). SellerDesk pyta o nie przy każdym uruchomieniu i nie potrafi go odzyskać.</translation>
    </message>
    <message>
        <source>Type the passphrase again:</source>
        <translation>Wpisz hasło ponownie:</translation>
    </message>
    <message>
        <source>The two passphrases differ; nothing was changed.</source>
        <translation>Hasła się różnią; niczego nie zmieniono.</translation>
    </message>
    <message>
        <source>Sign-ins are kept in %1, encrypted with your passphrase.</source>
        <translation>Logowania są przechowywane w %1, zaszyfrowane Twoim hasłem.</translation>
    </message>
</context>
<context>
    <name>sd::ui::AddAccountDialog</name>
    <message>
        <source>Add a marketplace account</source>
        <translation>Dodaj konto w serwisie</translation>
    </message>
    <message>
        <source>e.g. the shop's Allegro login</source>
        <translation>np. login sklepu w Allegro</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>&amp;Adres:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nazwa:</translation>
    </message>
    <message>
        <source>&amp;Marketplace:</source>
        <translation>&amp;Serwis:</translation>
    </message>
    <message>
        <source>Client &amp;ID:</source>
        <translation>Client &amp;ID:</translation>
    </message>
    <message>
        <source>Client &amp;Secret:</source>
        <translation>Client S&amp;ecret:</translation>
    </message>
    <message>
        <source>After “Add” SellerDesk shows a page address and a code: open the page, sign in to the marketplace and confirm the code. Passwords are never typed into SellerDesk.</source>
        <translation>Po „Dodaj” SellerDesk pokaże adres strony i kod: otwórz stronę, zaloguj się w serwisie i potwierdź kod. Haseł nigdy nie wpisuje się w SellerDesk.</translation>
    </message>
    <message>
        <source>Add and connect</source>
        <translation>Dodaj i połącz</translation>
    </message>
    <message>
        <source>any value works for training</source>
        <translation>w szkoleniu dowolna wartość</translation>
    </message>
</context>
<context>
    <name>sd::ui::ChangeStatusDialog</name>
    <message>
        <source>Change status</source>
        <translation>Zmiana statusu</translation>
    </message>
    <message numerus="yes">
        <source>New status for %n order(s):</source>
        <translation>
            <numerusform>Nowy status dla %n zamówienia:</numerusform>
            <numerusform>Nowy status dla %n zamówień:</numerusform>
            <numerusform>Nowy status dla %n zamówień:</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Inform customer (e-mail, and SMS where set up)</source>
        <translation>&amp;Powiadom klienta (e-mail, a SMS tam, gdzie jest skonfigurowany)</translation>
    </message>
    <message>
        <source>When off, the status changes silently: nothing is sent to the buyer.</source>
        <translation>Gdy wyłączone, status zmienia się po cichu: nic nie trafia do kupującego.</translation>
    </message>
</context>
<context>
    <name>sd::ui::ConnectJob</name>
    <message>
        <source>Connecting was cancelled.</source>
        <translation>Łączenie przerwano.</translation>
    </message>
</context>
<context>
    <name>sd::ui::ConnectorController</name>
    <message>
        <source>&amp;Download orders now</source>
        <translation>&amp;Pobierz zamówienia teraz</translation>
    </message>
    <message>
        <source>Download new and changed orders from every connected marketplace account</source>
        <translation>Pobierz nowe i zmienione zamówienia ze wszystkich połączonych kont</translation>
    </message>
    <message>
        <source>&amp;Marketplace accounts…</source>
        <translation>&amp;Konta w serwisach…</translation>
    </message>
    <message>
        <source>Connector &amp;log</source>
        <translation>&amp;Dziennik połączeń</translation>
    </message>
    <message>
        <source>Marketplaces: starting…</source>
        <translation>Serwisy: uruchamianie…</translation>
    </message>
    <message>
        <source>Saved sign-ins are in an encrypted file: enter its passphrase to unlock them.</source>
        <translation>Zapisane logowania są w zaszyfrowanym pliku: wpisz jego hasło, aby je odblokować.</translation>
    </message>
    <message>
        <source>Marketplaces: locked — click to unlock</source>
        <translation>Serwisy: zablokowane — kliknij, aby odblokować</translation>
    </message>
    <message>
        <source>Marketplaces: no keychain — click to choose where sign-ins are kept</source>
        <translation>Serwisy: brak magazynu haseł — kliknij, aby wybrać, gdzie przechowywać logowania</translation>
    </message>
    <message>
        <source>Choose a passphrase of at least 8 characters.</source>
        <translation>Wybierz hasło o długości co najmniej 8 znaków.</translation>
    </message>
    <message>
        <source>Unlock saved sign-ins</source>
        <translation>Odblokuj zapisane logowania</translation>
    </message>
    <message>
        <source>Passphrase of the encrypted file with marketplace sign-ins:</source>
        <translation>Hasło zaszyfrowanego pliku z logowaniami do serwisów:</translation>
    </message>
    <message>
        <source>Marketplaces: %1</source>
        <translation>Serwisy: %1</translation>
    </message>
    <message>
        <source>%1: downloading orders %2 of %3…</source>
        <translation>%1: pobieranie zamówień %2 z %3…</translation>
    </message>
    <message>
        <source>Marketplaces: downloading…</source>
        <translation>Serwisy: pobieranie…</translation>
    </message>
    <message>
        <source>%1: download failed at %2 — %3</source>
        <translation>%1: pobieranie nie powiodło się o %2 — %3</translation>
    </message>
    <message numerus="yes">
        <source>%1: %n new, </source>
        <translation>
            <numerusform>%1: %n nowe, </numerusform>
            <numerusform>%1: %n nowe, </numerusform>
            <numerusform>%1: %n nowych, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n changed — checked at %1</source>
        <translation>
            <numerusform>%n zmienione — sprawdzono o %1</numerusform>
            <numerusform>%n zmienione — sprawdzono o %1</numerusform>
            <numerusform>%n zmienionych — sprawdzono o %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) could not be read (see the connector log)</source>
        <translation>
            <numerusform>%n zamówienia nie dało się odczytać (zobacz dziennik połączeń)</numerusform>
            <numerusform>%n zamówień nie dało się odczytać (zobacz dziennik połączeń)</numerusform>
            <numerusform>%n zamówień nie dało się odczytać (zobacz dziennik połączeń)</numerusform>
        </translation>
    </message>
    <message>
        <source>Marketplaces: no account — click to add one</source>
        <translation>Serwisy: brak konta — kliknij, aby dodać</translation>
    </message>
    <message>
        <source>Marketplaces: no account is connected — click to connect</source>
        <translation>Serwisy: żadne konto nie jest połączone — kliknij, aby połączyć</translation>
    </message>
    <message numerus="yes">
        <source>Marketplaces: %n account(s) connected</source>
        <translation>
            <numerusform>Serwisy: %n konto połączone</numerusform>
            <numerusform>Serwisy: %n konta połączone</numerusform>
            <numerusform>Serwisy: %n kont połączonych</numerusform>
        </translation>
    </message>
    <message>
        <source>Click to see the connector log</source>
        <translation>Kliknij, aby zobaczyć dziennik połączeń</translation>
    </message>
</context>
<context>
    <name>sd::ui::ConnectorLog</name>
    <message>
        <source>Connector log</source>
        <translation>Dziennik połączeń</translation>
    </message>
    <message>
        <source>Choose a row to see the request and the answer.</source>
        <translation>Wybierz wiersz, aby zobaczyć zapytanie i odpowiedź.</translation>
    </message>
    <message>
        <source>Only &amp;failures</source>
        <translation>Tylko &amp;błędy</translation>
    </message>
    <message>
        <source>C&amp;lear</source>
        <translation>Wy&amp;czyść</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s)</source>
        <translation>
            <numerusform>%n zapytanie</numerusform>
            <numerusform>%n zapytania</numerusform>
            <numerusform>%n zapytań</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failure(s)</source>
        <translation>
            <numerusform>%n błąd</numerusform>
            <numerusform>%n błędy</numerusform>
            <numerusform>%n błędów</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sd::ui::DatabaseConnectionDialog</name>
    <message>
        <source>Connect to the warehouse database</source>
        <translation>Połączenie z bazą danych magazynu</translation>
    </message>
    <message>
        <source>Several workstations share one PostgreSQL database. Enter what the person who set up the server gave you; the password is kept in the system keychain.</source>
        <translation>Kilka stanowisk korzysta ze wspólnej bazy PostgreSQL. Wpisz dane od osoby, która skonfigurowała serwer; hasło zostanie zapisane w systemowym pęku kluczy.</translation>
    </message>
    <message>
        <source>Require an encrypted connection (TLS)</source>
        <translation>Wymagaj szyfrowanego połączenia (TLS)</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Serwer:</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>P&amp;ort:</translation>
    </message>
    <message>
        <source>&amp;Database:</source>
        <translation>&amp;Baza danych:</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Użytkownik:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Hasło:</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Sprawdź połączenie</translation>
    </message>
    <message>
        <source>&amp;Save and use at next start</source>
        <translation>&amp;Zapisz i używaj od następnego uruchomienia</translation>
    </message>
    <message>
        <source>Enter the server and the database.</source>
        <translation>Podaj serwer i bazę danych.</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Łączenie…</translation>
    </message>
    <message>
        <source>Connected to %1 (schema %2).</source>
        <translation>Połączono z %1 (schemat %2).</translation>
    </message>
</context>
<context>
    <name>sd::ui::DocumentListModel</name>
    <message>
        <source>VAT invoice</source>
        <translation>Faktura VAT</translation>
    </message>
    <message>
        <source>Invoice (private person)</source>
        <translation>Faktura (osoba prywatna)</translation>
    </message>
    <message>
        <source>Simplified invoice</source>
        <translation>Faktura uproszczona</translation>
    </message>
    <message>
        <source>Correction</source>
        <translation>Korekta</translation>
    </message>
    <message>
        <source>Pro forma</source>
        <translation>Pro forma</translation>
    </message>
    <message>
        <source>(draft)</source>
        <translation>(szkic)</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Numer</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Rodzaj</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Issued</source>
        <translation>Wystawiono</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Zamówienie</translation>
    </message>
    <message>
        <source>Buyer</source>
        <translation>Nabywca</translation>
    </message>
    <message>
        <source>NIP / VAT id</source>
        <translation>NIP / VAT UE</translation>
    </message>
    <message>
        <source>Gross</source>
        <translation>Brutto</translation>
    </message>
    <message>
        <source>KSeF number</source>
        <translation>Numer KSeF</translation>
    </message>
    <message>
        <source>Transport slip</source>
        <translation>List przewozowy</translation>
    </message>
    <message>
        <source>Warranty card</source>
        <translation>Karta gwarancyjna</translation>
    </message>
</context>
<context>
    <name>sd::ui::DocumentSettingsDialog</name>
    <message>
        <source>Company and documents</source>
        <translation>Firma i dokumenty</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Wybierz…</translation>
    </message>
    <message>
        <source>Seller</source>
        <translation>Sprzedawca</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nazwa:</translation>
    </message>
    <message>
        <source>N&amp;IP:</source>
        <translation>N&amp;IP:</translation>
    </message>
    <message>
        <source>&amp;Street:</source>
        <translation>&amp;Ulica:</translation>
    </message>
    <message>
        <source>&amp;Postcode:</source>
        <translation>&amp;Kod pocztowy:</translation>
    </message>
    <message>
        <source>&amp;City:</source>
        <translation>&amp;Miejscowość:</translation>
    </message>
    <message>
        <source>&amp;Bank account:</source>
        <translation>&amp;Rachunek bankowy:</translation>
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation>&amp;E-mail:</translation>
    </message>
    <message>
        <source>P&amp;hone:</source>
        <translation>&amp;Telefon:</translation>
    </message>
    <message>
        <source>&amp;Logo:</source>
        <translation>&amp;Logo:</translation>
    </message>
    <message>
        <source>Invoice private persons (no NIP) instead of a receipt</source>
        <translation>Faktura dla osób prywatnych (bez NIP-u) zamiast paragonu</translation>
    </message>
    <message>
        <source>Issue invoices automatically for downloaded orders</source>
        <translation>Wystawiaj faktury automatycznie do pobranych zamówień</translation>
    </message>
    <message>
        <source>EU OSS: consumers in other EU countries pay their country's VAT rate</source>
        <translation>OSS w UE: konsumenci z innych krajów UE płacą stawkę VAT swojego kraju</translation>
    </message>
    <message>
        <source>the highest rate of the items</source>
        <translation>najwyższa stawka pozycji</translation>
    </message>
    <message>
        <source> days</source>
        <translation> dni</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Dokumenty</translation>
    </message>
    <message>
        <source>VAT on s&amp;hipping and surcharges:</source>
        <translation>VAT od &amp;wysyłki i dopłat:</translation>
    </message>
    <message>
        <source>Payment &amp;due after:</source>
        <translation>&amp;Termin płatności po:</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Rodzaj</translation>
    </message>
    <message>
        <source>Pattern</source>
        <translation>Wzorzec</translation>
    </message>
    <message>
        <source>Starts again</source>
        <translation>Od nowa</translation>
    </message>
    <message>
        <source>every month</source>
        <translation>co miesiąc</translation>
    </message>
    <message>
        <source>every year</source>
        <translation>co rok</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nigdy</translation>
    </message>
    <message>
        <source>default for its type</source>
        <translation>domyślna dla rodzaju</translation>
    </message>
    <message>
        <source>&amp;Add series</source>
        <translation>&amp;Dodaj serię</translation>
    </message>
    <message>
        <source>Numbering series ({n} number, {MM} month, {YYYY} year)</source>
        <translation>Serie numeracji ({n} numer, {MM} miesiąc, {YYYY} rok)</translation>
    </message>
    <message>
        <source>Logo</source>
        <translation>Logo</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.svg)</source>
        <translation>Obrazy (*.png *.jpg *.svg)</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Zapisano.</translation>
    </message>
    <message>
        <source>Series %1 added; its first number: %2</source>
        <translation>Dodano serię %1; jej pierwszy numer: %2</translation>
    </message>
    <message>
        <source>&amp;Company and documents</source>
        <translation>&amp;Firma i dokumenty</translation>
    </message>
    <message>
        <source>&amp;KSeF</source>
        <translation>&amp;KSeF</translation>
    </message>
    <message>
        <source>On completion (a status of the closed group): transport slip, invoice and warranty card</source>
        <translation>Po zakończeniu (status z grupy zamkniętych): list przewozowy, faktura i karta gwarancyjna</translation>
    </message>
    <message>
        <source> months</source>
        <translation> mies.</translation>
    </message>
    <message>
        <source>&amp;Warranty period:</source>
        <translation>Okres &amp;gwarancji:</translation>
    </message>
    <message>
        <source>E&amp;xchange rates</source>
        <translation>Kurs&amp;y walut</translation>
    </message>
</context>
<context>
    <name>sd::ui::DocumentsPage</name>
    <message>
        <source>&amp;Correct…</source>
        <translation>&amp;Koryguj…</translation>
    </message>
    <message>
        <source>Ca&amp;ncel document</source>
        <translation>&amp;Anuluj dokument</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Dokumenty</translation>
    </message>
    <message>
        <source>Search by number, buyer or NIP (Ctrl+F)</source>
        <translation>Szukaj po numerze, nabywcy lub NIP-ie (Ctrl+F)</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>Wszystkie rodzaje</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>Wszystkie stany</translation>
    </message>
    <message>
        <source>Save &amp;PDF…</source>
        <translation>Zapisz &amp;PDF…</translation>
    </message>
    <message>
        <source>Save &amp;XML…</source>
        <translation>Zapisz &amp;XML…</translation>
    </message>
    <message>
        <source>KSeF number: %1</source>
        <translation>Numer KSeF: %1</translation>
    </message>
    <message>
        <source>Correct %1</source>
        <translation>Korekta %1</translation>
    </message>
    <message>
        <source>e.g. return of goods</source>
        <translation>np. zwrot towaru</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Przyczyna:</translation>
    </message>
    <message>
        <source>Everything returned</source>
        <translation>Zwrot całości</translation>
    </message>
    <message>
        <source>Issue correction</source>
        <translation>Wystaw korektę</translation>
    </message>
    <message>
        <source>%1 issued.</source>
        <translation>Wystawiono %1.</translation>
    </message>
    <message>
        <source>Cancel document</source>
        <translation>Anuluj dokument</translation>
    </message>
    <message>
        <source>Cancel %1? A cancelled document keeps its number and cannot be used again.</source>
        <translation>Anulować %1? Anulowany dokument zachowuje swój numer i nie można go użyć ponownie.</translation>
    </message>
    <message>
        <source>cancelled by hand</source>
        <translation>anulowano ręcznie</translation>
    </message>
    <message>
        <source>%1 cancelled.</source>
        <translation>Anulowano %1.</translation>
    </message>
    <message>
        <source>Save the KSeF XML</source>
        <translation>Zapisz XML KSeF</translation>
    </message>
    <message>
        <source>Save the PDF</source>
        <translation>Zapisz PDF</translation>
    </message>
    <message>
        <source>XML files (*.xml)</source>
        <translation>Pliki XML (*.xml)</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>Pliki PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Nie można zapisać %1: %2</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>Zapisano %1.</translation>
    </message>
    <message>
        <source>Save &amp;UPO…</source>
        <translation>Zapisz &amp;UPO…</translation>
    </message>
    <message>
        <source>Rejected by KSeF: %1</source>
        <translation>Odrzucona przez KSeF: %1</translation>
    </message>
    <message>
        <source>Issued offline: KSeF could not be reached; it is sent when KSeF is back.</source>
        <translation>Wystawiona offline: KSeF był nieosiągalny; zostanie wysłana, gdy KSeF znów zadziała.</translation>
    </message>
    <message numerus="yes">
        <source>UPO (official receipt confirmation) stored: %n byte(s).</source>
        <translation>
            <numerusform>Zapisano UPO (urzędowe poświadczenie odbioru): %n bajt.</numerusform>
            <numerusform>Zapisano UPO (urzędowe poświadczenie odbioru): %n bajty.</numerusform>
            <numerusform>Zapisano UPO (urzędowe poświadczenie odbioru): %n bajtów.</numerusform>
        </translation>
    </message>
    <message>
        <source>KSeF has not confirmed this document yet: there is no UPO.</source>
        <translation>KSeF jeszcze nie potwierdził tego dokumentu: brak UPO.</translation>
    </message>
    <message>
        <source>Save the UPO</source>
        <translation>Zapisz UPO</translation>
    </message>
</context>
<context>
    <name>sd::ui::DurationPicker</name>
    <message>
        <source>Amount</source>
        <translation>Ile</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>Jednostka</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>minut</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>godzin</translation>
    </message>
    <message>
        <source>days</source>
        <translation>dni</translation>
    </message>
    <message>
        <source>A duration cannot be negative.</source>
        <translation>Czas nie może być ujemny.</translation>
    </message>
    <message>
        <source>At most %1.</source>
        <translation>Najwyżej %1.</translation>
    </message>
    <message>
        <source>At least %1.</source>
        <translation>Co najmniej %1.</translation>
    </message>
</context>
<context>
    <name>sd::ui::ExchangeLogModel</name>
    <message>
        <source>(no body)</source>
        <translation>(bez treści)</translation>
    </message>
    <message>
        <source>(not valid JSON: %1)
%2</source>
        <translation>(niepoprawny JSON: %1)
%2</translation>
    </message>
    <message numerus="yes">
        <source>(%n byte(s) of %1)</source>
        <translation>
            <numerusform>(%n bajt: %1)</numerusform>
            <numerusform>(%n bajty: %1)</numerusform>
            <numerusform>(%n bajtów: %1)</numerusform>
        </translation>
    </message>
    <message>
        <source>binary data</source>
        <translation>dane binarne</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>brak odpowiedzi</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Czas</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Metoda</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adres</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Odpowiedź</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Czas trwania</translation>
    </message>
    <message>
        <source>answer %1</source>
        <translation>odpowiedź %1</translation>
    </message>
</context>
<context>
    <name>sd::ui::ExchangeRatesPanel</name>
    <message>
        <source>An invoice in a foreign currency gives its VAT in PLN at the NBP average rate of the last working day before the sale date (art. 31a of the VAT Act). The rate is taken from this table only, so issuing never waits for the network.</source>
        <translation>Faktura w walucie obcej podaje VAT w złotych po średnim kursie NBP z ostatniego dnia roboczego przed datą sprzedaży (art. 31a ustawy o VAT). Kurs jest brany tylko z tej tabeli, więc wystawianie nigdy nie czeka na sieć.</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Waluta</translation>
    </message>
    <message>
        <source>Table day</source>
        <translation>Dzień tabeli</translation>
    </message>
    <message>
        <source>Rate (PLN)</source>
        <translation>Kurs (PLN)</translation>
    </message>
    <message>
        <source>NBP table</source>
        <translation>Tabela NBP</translation>
    </message>
    <message>
        <source>&amp;Remove selected</source>
        <translation>&amp;Usuń zaznaczony</translation>
    </message>
    <message>
        <source>&amp;Add rate</source>
        <translation>Dod&amp;aj kurs</translation>
    </message>
    <message>
        <source>Type a rate in</source>
        <translation>Wpisz kurs</translation>
    </message>
    <message>
        <source>C&amp;urrency:</source>
        <translation>&amp;Waluta:</translation>
    </message>
    <message>
        <source>&amp;Day of the table:</source>
        <translation>&amp;Dzień tabeli:</translation>
    </message>
    <message>
        <source>Ra&amp;te (PLN for one unit):</source>
        <translation>Ku&amp;rs (PLN za jednostkę):</translation>
    </message>
    <message>
        <source>Table &amp;number (optional):</source>
        <translation>&amp;Numer tabeli (opcjonalnie):</translation>
    </message>
    <message>
        <source>&amp;Fetch from NBP</source>
        <translation>&amp;Pobierz z NBP</translation>
    </message>
    <message>
        <source>Fetch from NBP</source>
        <translation>Pobierz z NBP</translation>
    </message>
    <message>
        <source>Curr&amp;ency:</source>
        <translation>Wa&amp;luta:</translation>
    </message>
    <message>
        <source>For sales &amp;on:</source>
        <translation>Dla sprzedaży &amp;z dnia:</translation>
    </message>
    <message>
        <source>NBP addre&amp;ss:</source>
        <translation>Adr&amp;es NBP:</translation>
    </message>
    <message>
        <source>typed in</source>
        <translation>wpisany</translation>
    </message>
    <message>
        <source>Rate of %1 on %2 stored.</source>
        <translation>Zapisano kurs %1 z dnia %2.</translation>
    </message>
    <message>
        <source>Select the rate to remove.</source>
        <translation>Zaznacz kurs do usunięcia.</translation>
    </message>
    <message>
        <source>Rate of %1 on %2 removed.</source>
        <translation>Usunięto kurs %1 z dnia %2.</translation>
    </message>
    <message>
        <source>Type the code of a foreign currency (EUR, CZK, ...).</source>
        <translation>Wpisz kod waluty obcej (EUR, CZK, ...).</translation>
    </message>
    <message>
        <source>Asking NBP…</source>
        <translation>Pytam NBP…</translation>
    </message>
    <message>
        <source>NBP table %1 of %2: 1 %3 = %4 PLN, stored.</source>
        <translation>Tabela NBP %1 z dnia %2: 1 %3 = %4 PLN, zapisano.</translation>
    </message>
</context>
<context>
    <name>sd::ui::ExecutionLogDialog</name>
    <message>
        <source>Execution log</source>
        <translation>Dziennik wykonań</translation>
    </message>
    <message>
        <source>every rule</source>
        <translation>każda reguła</translation>
    </message>
    <message>
        <source>order number</source>
        <translation>numer zamówienia</translation>
    </message>
    <message>
        <source>every result</source>
        <translation>każdy wynik</translation>
    </message>
    <message>
        <source>today</source>
        <translation>dziś</translation>
    </message>
    <message>
        <source>last 7 days</source>
        <translation>ostatnie 7 dni</translation>
    </message>
    <message>
        <source>last 30 days</source>
        <translation>ostatnie 30 dni</translation>
    </message>
    <message>
        <source>everything</source>
        <translation>wszystko</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Wykonania</translation>
    </message>
    <message>
        <source>&amp;Run again</source>
        <translation>&amp;Uruchom ponownie</translation>
    </message>
    <message>
        <source>Queue the failed action again, e.g. after fixing its settings (Ctrl+R)</source>
        <translation>Ponownie zakolejkuj nieudaną akcję, np. po poprawieniu jej ustawień (Ctrl+R)</translation>
    </message>
    <message>
        <source>&amp;Rule:</source>
        <translation>&amp;Reguła:</translation>
    </message>
    <message>
        <source>&amp;Order:</source>
        <translation>&amp;Zamówienie:</translation>
    </message>
    <message>
        <source>R&amp;esult:</source>
        <translation>&amp;Wynik:</translation>
    </message>
    <message>
        <source>&amp;Period:</source>
        <translation>&amp;Okres:</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n wykonanie</numerusform>
            <numerusform>%n wykonania</numerusform>
            <numerusform>%n wykonań</numerusform>
        </translation>
    </message>
    <message>
        <source>Job %1 is queued again; the scheduler runs it now.</source>
        <translation>Zadanie %1 jest ponownie w kolejce; harmonogram wykona je teraz.</translation>
    </message>
</context>
<context>
    <name>sd::ui::FilterPanel</name>
    <message>
        <source>Any</source>
        <translation>Dowolne</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Opłacone</translation>
    </message>
    <message>
        <source>Unpaid</source>
        <translation>Nieopłacone</translation>
    </message>
    <message>
        <source>Partly paid</source>
        <translation>Opłacone częściowo</translation>
    </message>
    <message>
        <source>Overpaid</source>
        <translation>Nadpłacone</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Zwrócone</translation>
    </message>
    <message>
        <source>Online payment</source>
        <translation>Płatność online</translation>
    </message>
    <message>
        <source>Cash on delivery</source>
        <translation>Za pobraniem</translation>
    </message>
    <message>
        <source>Bank transfer</source>
        <translation>Przelew bankowy</translation>
    </message>
    <message>
        <source>Wants an invoice</source>
        <translation>Chce fakturę</translation>
    </message>
    <message>
        <source>No invoice</source>
        <translation>Bez faktury</translation>
    </message>
    <message>
        <source>Bought from</source>
        <translation>Kupione od</translation>
    </message>
    <message>
        <source>to</source>
        <translation>do</translation>
    </message>
    <message>
        <source>Clear filters</source>
        <translation>Wyczyść filtry</translation>
    </message>
    <message>
        <source>Save as view…</source>
        <translation>Zapisz jako widok…</translation>
    </message>
    <message>
        <source>&amp;Payment:</source>
        <translation>&amp;Płatność:</translation>
    </message>
    <message>
        <source>&amp;Method:</source>
        <translation>&amp;Sposób:</translation>
    </message>
    <message>
        <source>&amp;Delivery:</source>
        <translation>&amp;Dostawa:</translation>
    </message>
    <message>
        <source>C&amp;hannel:</source>
        <translation>&amp;Kanał:</translation>
    </message>
    <message>
        <source>In&amp;voice:</source>
        <translation>&amp;Faktura:</translation>
    </message>
    <message>
        <source>Split payment</source>
        <translation>Płatność podzielona</translation>
    </message>
    <message>
        <source>Deferred payment</source>
        <translation>Płatność odroczona</translation>
    </message>
    <message>
        <source>Bought, form not filled in</source>
        <translation>Kupione, formularz niewypełniony</translation>
    </message>
    <message>
        <source>Form filled in, not paid</source>
        <translation>Formularz wypełniony, nieopłacone</translation>
    </message>
    <message>
        <source>Ready for processing</source>
        <translation>Gotowe do realizacji</translation>
    </message>
    <message>
        <source>Cancelled by the buyer</source>
        <translation>Anulowane przez kupującego</translation>
    </message>
    <message>
        <source>With a message</source>
        <translation>Z wiadomością</translation>
    </message>
    <message>
        <source>Without a message</source>
        <translation>Bez wiadomości</translation>
    </message>
    <message>
        <source>any</source>
        <translation>dowolna</translation>
    </message>
    <message>
        <source>Co&amp;untry:</source>
        <translation>&amp;Kraj:</translation>
    </message>
    <message>
        <source>Acc&amp;ount:</source>
        <translation>K&amp;onto:</translation>
    </message>
    <message>
        <source>Marketplace s&amp;tate:</source>
        <translation>S&amp;tan w serwisie:</translation>
    </message>
    <message>
        <source>&amp;Referrer:</source>
        <translation>Ź&amp;ródło:</translation>
    </message>
    <message>
        <source>T&amp;ag:</source>
        <translation>T&amp;ag:</translation>
    </message>
    <message>
        <source>Buyer's &amp;message:</source>
        <translation>&amp;Wiadomość kupującego:</translation>
    </message>
    <message>
        <source>Amo&amp;unt:</source>
        <translation>K&amp;wota:</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Gotówka</translation>
    </message>
    <message>
        <source>Company purchase</source>
        <translation>Zakup firmowy</translation>
    </message>
</context>
<context>
    <name>sd::ui::FirstRunWizard</name>
    <message>
        <source>Welcome to SellerDesk</source>
        <translation>Witaj w SellerDesk</translation>
    </message>
    <message>
        <source>Start working</source>
        <translation>Zacznij pracę</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Język</translation>
    </message>
    <message>
        <source>The language of the program's windows and messages.</source>
        <translation>Język okien i komunikatów programu.</translation>
    </message>
    <message>
        <source>Documents for buyers keep their own language: Polish, or English for buyers abroad.</source>
        <translation>Dokumenty dla kupujących mają własny język: polski albo angielski dla kupujących z zagranicy.</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Język:</translation>
    </message>
    <message>
        <source>Your company</source>
        <translation>Twoja firma</translation>
    </message>
    <message>
        <source>The seller on invoices and receipts. You can change it later in Settings &gt; Company and documents.</source>
        <translation>Sprzedawca na fakturach i paragonach. Możesz to zmienić później w Ustawienia &gt; Firma i dokumenty.</translation>
    </message>
    <message>
        <source>Company &amp;name:</source>
        <translation>&amp;Nazwa firmy:</translation>
    </message>
    <message>
        <source>&amp;NIP:</source>
        <translation>NI&amp;P:</translation>
    </message>
    <message>
        <source>&amp;Street:</source>
        <translation>&amp;Ulica:</translation>
    </message>
    <message>
        <source>&amp;Postcode:</source>
        <translation>&amp;Kod pocztowy:</translation>
    </message>
    <message>
        <source>&amp;City:</source>
        <translation>&amp;Miejscowość:</translation>
    </message>
    <message>
        <source>&amp;Bank account:</source>
        <translation>Rachunek &amp;bankowy:</translation>
    </message>
    <message>
        <source>&amp;E-mail:</source>
        <translation>&amp;E-mail:</translation>
    </message>
    <message>
        <source>Ten digits; dashes, spaces and the PL prefix are allowed. The last digit is a checksum, so a typo is caught here.</source>
        <translation>Dziesięć cyfr; dozwolone są myślniki, spacje i przedrostek PL. Ostatnia cyfra jest kontrolna, więc literówka zostanie tu wychwycona.</translation>
    </message>
    <message>
        <source>26 digits (optionally with PL): printed on invoices paid by transfer. May stay empty.</source>
        <translation>26 cyfr (opcjonalnie z PL): drukowany na fakturach płatnych przelewem. Może zostać pusty.</translation>
    </message>
    <message>
        <source>Fill in a sample company (for training)</source>
        <translation>Wypełnij przykładową firmą (do szkolenia)</translation>
    </message>
    <message>
        <source>Fills the fields with a made-up shop, enough to try everything with the training shop.</source>
        <translation>Wpisuje zmyślony sklep, wystarczający, by wypróbować wszystko na sklepie szkoleniowym.</translation>
    </message>
    <message>
        <source>Where do the orders come from?</source>
        <translation>Skąd przychodzą zamówienia?</translation>
    </message>
    <message>
        <source>&amp;Try with a training shop (recommended for the first days)</source>
        <translation>&amp;Wypróbuj na sklepie szkoleniowym (zalecane na pierwsze dni)</translation>
    </message>
    <message>
        <source>&amp;Connect my Allegro account</source>
        <translation>&amp;Podłącz moje konto Allegro</translation>
    </message>
    <message>
        <source>A made-up shop on this computer with a few hundred realistic orders, new ones arriving, a simulated fiscal printer and printers that write PDF files. Every printout says TRAINING and nothing reaches Allegro, KSeF or a courier.</source>
        <translation>Zmyślony sklep na tym komputerze z kilkuset realistycznymi zamówieniami, nowe napływają, symulowana drukarka fiskalna i drukarki zapisujące pliki PDF. Każdy wydruk ma napis TRAINING / SZKOLENIE i nic nie trafia do Allegro, KSeF ani kuriera.</translation>
    </message>
    <message>
        <source>After this guide the accounts window opens: SellerDesk shows a code, you confirm it on allegro.pl in the browser, and the orders start downloading. Your password never passes through SellerDesk.</source>
        <translation>Po tym przewodniku otworzy się okno kont: SellerDesk pokaże kod, potwierdzisz go na allegro.pl w przeglądarce i zamówienia zaczną się pobierać. Twoje hasło nigdy nie przechodzi przez SellerDesk.</translation>
    </message>
    <message>
        <source>Printers of this workstation</source>
        <translation>Drukarki tego stanowiska</translation>
    </message>
    <message>
        <source>Where invoices, labels and receipts go. Each workstation keeps its own printers.</source>
        <translation>Dokąd trafiają faktury, etykiety i paragony. Każde stanowisko ma własne drukarki.</translation>
    </message>
    <message>
        <source>&amp;Documents (A4):</source>
        <translation>&amp;Dokumenty (A4):</translation>
    </message>
    <message>
        <source>A CUPS queue (cups:QUEUE) or a PDF file (pdf:/path/file.pdf).</source>
        <translation>Kolejka CUPS (cups:KOLEJKA) albo plik PDF (pdf:/ścieżka/plik.pdf).</translation>
    </message>
    <message>
        <source>&amp;Labels:</source>
        <translation>&amp;Etykiety:</translation>
    </message>
    <message>
        <source>A label printer's port (tcp://192.168.1.50:9100 for ZPL), a CUPS queue (cups:QUEUE) or a PDF file (pdf:/path/labels.pdf).</source>
        <translation>Port drukarki etykiet (tcp://192.168.1.50:9100 dla ZPL), kolejka CUPS (cups:KOLEJKA) albo plik PDF (pdf:/ścieżka/etykiety.pdf).</translation>
    </message>
    <message>
        <source>&amp;Fiscal printer:</source>
        <translation>Drukarka &amp;fiskalna:</translation>
    </message>
    <message>
        <source>tcp://HOST:PORT or serial:/dev/ttyUSB0. In training: the simulator on 127.0.0.1:8471.</source>
        <translation>tcp://HOST:PORT albo serial:/dev/ttyUSB0. W szkoleniu: symulator na 127.0.0.1:8471.</translation>
    </message>
    <message>
        <source>Leave a field empty to set it up later in Settings.</source>
        <translation>Zostaw pole puste, aby ustawić je później w Ustawieniach.</translation>
    </message>
    <message>
        <source>Statuses and rules</source>
        <translation>Statusy i reguły</translation>
    </message>
    <message>
        <source>Orders move through these statuses, each a tab of the order list: %1. You can rename them and add your own later (Ctrl+,).</source>
        <translation>Zamówienia przechodzą przez te statusy, każdy jest zakładką listy zamówień: %1. Później możesz zmienić ich nazwy i dodać własne (Ctrl+,).</translation>
    </message>
    <message>
        <source>Rules do the routine for you. The checked ones start working now; the others wait in Settings &gt; Automation rules &gt; Templates.</source>
        <translation>Reguły wykonują rutynę za Ciebie. Zaznaczone zaczną działać od razu; pozostałe czekają w Ustawienia &gt; Reguły automatyzacji &gt; Szablony.</translation>
    </message>
    <message>
        <source>Training Shop Ltd</source>
        <translation>Sklep Szkoleniowy sp. z o.o.</translation>
    </message>
    <message>
        <source>Training shop</source>
        <translation>Sklep szkoleniowy</translation>
    </message>
    <message>
        <source>The windows switch to the chosen language as soon as you go on.</source>
        <translation>Okna przełączą się na wybrany język, gdy tylko przejdziesz dalej.</translation>
    </message>
</context>
<context>
    <name>sd::ui::HelpBrowser</name>
    <message>
        <source>SellerDesk user guide</source>
        <translation>Podręcznik użytkownika SellerDesk</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>Spis treści</translation>
    </message>
    <message>
        <source>The list of the guide's chapters</source>
        <translation>Lista rozdziałów podręcznika</translation>
    </message>
</context>
<context>
    <name>sd::ui::InventoryDialog</name>
    <message>
        <source>Active</source>
        <translation>Aktywna</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Zakończona</translation>
    </message>
    <message>
        <source>Inactive</source>
        <translation>Nieaktywna</translation>
    </message>
    <message>
        <source>Activating</source>
        <translation>Aktywowana</translation>
    </message>
    <message>
        <source>Stock and offers</source>
        <translation>Magazyn i oferty</translation>
    </message>
    <message>
        <source>&amp;Products</source>
        <translation>&amp;Produkty</translation>
    </message>
    <message>
        <source>&amp;Warehouses</source>
        <translation>&amp;Magazyny</translation>
    </message>
    <message>
        <source>Stock &amp;documents</source>
        <translation>&amp;Dokumenty magazynowe</translation>
    </message>
    <message>
        <source>&amp;Offers</source>
        <translation>&amp;Oferty</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>EAN</source>
        <translation>EAN</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>VAT</source>
        <translation>VAT</translation>
    </message>
    <message>
        <source>Purchase price</source>
        <translation>Cena zakupu</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Reserved</source>
        <translation>Zarezerwowano</translation>
    </message>
    <message>
        <source>Free</source>
        <translation>Wolne</translation>
    </message>
    <message>
        <source>EAN (optional)</source>
        <translation>EAN (opcjonalnie)</translation>
    </message>
    <message>
        <source>&amp;Add product</source>
        <translation>&amp;Dodaj produkt</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Kod</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Domyślny</translation>
    </message>
    <message>
        <source>Add &amp;warehouse</source>
        <translation>Dodaj &amp;magazyn</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Numer</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Data</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>Autor</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>Pozycje</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Uwagi</translation>
    </message>
    <message>
        <source>Receipt (PZ)</source>
        <translation>Przyjęcie (PZ)</translation>
    </message>
    <message>
        <source>Issue (WZ)</source>
        <translation>Wydanie (WZ)</translation>
    </message>
    <message>
        <source>Transfer (MM)</source>
        <translation>Przesunięcie (MM)</translation>
    </message>
    <message>
        <source>Stock-taking (INW)</source>
        <translation>Inwentaryzacja (INW)</translation>
    </message>
    <message>
        <source>Transfer to</source>
        <translation>Przesuń do</translation>
    </message>
    <message>
        <source>&amp;Post document</source>
        <translation>&amp;Zaksięguj dokument</translation>
    </message>
    <message>
        <source>to</source>
        <translation>do</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Wszystkie</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Tak</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source>Buy now</source>
        <translation>Kup teraz</translation>
    </message>
    <message>
        <source>Auction</source>
        <translation>Licytacja</translation>
    </message>
    <message>
        <source>Archived</source>
        <translation>Archiwalna</translation>
    </message>
    <message>
        <source>Linked:</source>
        <translation>Powiązane:</translation>
    </message>
    <message>
        <source>Sync:</source>
        <translation>Synchronizacja:</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <source>Publication:</source>
        <translation>Publikacja:</translation>
    </message>
    <message>
        <source>Offer</source>
        <translation>Oferta</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Publication</source>
        <translation>Publikacja</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Local stock</source>
        <translation>Stan lokalny</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Synchronizacja</translation>
    </message>
    <message>
        <source>Auto end/resume</source>
        <translation>Auto. zamykanie/wznawianie</translation>
    </message>
    <message>
        <source>Sync state</source>
        <translation>Stan synchronizacji</translation>
    </message>
    <message>
        <source>&amp;Enable stock sync</source>
        <translation>&amp;Włącz synchronizację stanów</translation>
    </message>
    <message>
        <source>D&amp;isable stock sync</source>
        <translation>W&amp;yłącz synchronizację stanów</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>tak</translation>
    </message>
    <message>
        <source>on</source>
        <translation>wł.</translation>
    </message>
    <message>
        <source>off</source>
        <translation>wył.</translation>
    </message>
    <message>
        <source>off (stock sync)</source>
        <translation>wył. (synchronizacja stanów)</translation>
    </message>
    <message>
        <source>%1 posted.</source>
        <translation>Zaksięgowano %1.</translation>
    </message>
    <message>
        <source>Select the offers first.</source>
        <translation>Najpierw zaznacz oferty.</translation>
    </message>
    <message>
        <source>Stock s&amp;ync</source>
        <translation>S&amp;ynchronizacja stanów</translation>
    </message>
    <message>
        <source>&lt;b&gt;Held by the anomaly guard&lt;/b&gt;</source>
        <translation>&lt;b&gt;Wstrzymane przez strażnika anomalii&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Marketplace now</source>
        <translation>Teraz w serwisie</translation>
    </message>
    <message>
        <source>Would become</source>
        <translation>Byłoby</translation>
    </message>
    <message>
        <source>&amp;Release the held list</source>
        <translation>&amp;Zwolnij wstrzymaną listę</translation>
    </message>
    <message>
        <source>The stock sync sends this list once, without the guard</source>
        <translation>Synchronizacja stanów wyśle tę listę raz, z pominięciem strażnika</translation>
    </message>
    <message>
        <source>Dis&amp;miss the held list</source>
        <translation>O&amp;drzuć wstrzymaną listę</translation>
    </message>
    <message>
        <source>Nothing is sent; the next stock change plans again</source>
        <translation>Nic nie zostanie wysłane; kolejna zmiana stanu zaplanuje synchronizację od nowa</translation>
    </message>
    <message>
        <source>&lt;b&gt;Conflicts: local stock and the marketplace differ&lt;/b&gt;</source>
        <translation>&lt;b&gt;Konflikty: stan lokalny różni się od stanu w serwisie&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>Lokalnie</translation>
    </message>
    <message>
        <source>Marketplace</source>
        <translation>Serwis</translation>
    </message>
    <message>
        <source>Take &amp;local</source>
        <translation>Przyjmij &amp;lokalny</translation>
    </message>
    <message>
        <source>The stock sync sets the offer to the local stock</source>
        <translation>Synchronizacja stanów ustawi w ofercie stan lokalny</translation>
    </message>
    <message>
        <source>A stock-taking document in the default warehouse makes the stock what the marketplace shows</source>
        <translation>Dokument inwentaryzacji w magazynie domyślnym ustawi stan taki, jaki pokazuje serwis</translation>
    </message>
    <message>
        <source>ended (0)</source>
        <translation>zakończona (0)</translation>
    </message>
    <message>
        <source>Nothing is held.</source>
        <translation>Nic nie jest wstrzymane.</translation>
    </message>
    <message>
        <source>No stock sync is waiting for the operator.</source>
        <translation>Żadna synchronizacja stanów nie czeka na operatora.</translation>
    </message>
    <message>
        <source>Released: the stock sync sends the held list in a moment.</source>
        <translation>Zwolniono: synchronizacja stanów za chwilę wyśle wstrzymaną listę.</translation>
    </message>
    <message>
        <source>Dismissed: nothing was sent.</source>
        <translation>Odrzucono: nic nie zostało wysłane.</translation>
    </message>
    <message>
        <source>Select the conflicts first.</source>
        <translation>Najpierw zaznacz konflikty.</translation>
    </message>
    <message>
        <source>the stock sync sends the local quantity in a moment</source>
        <translation>synchronizacja stanów za chwilę wyśle stan lokalny</translation>
    </message>
    <message>
        <source>Take mar&amp;ketplace</source>
        <translation>Przyjmij z &amp;serwisu</translation>
    </message>
</context>
<context>
    <name>sd::ui::KsefSettingsPanel</name>
    <message>
        <source>&amp;Send every issued invoice to KSeF</source>
        <translation>&amp;Wysyłaj każdą wystawioną fakturę do KSeF</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>&amp;Sprawdź połączenie</translation>
    </message>
    <message>
        <source>Test (api-test.ksef.mf.gov.pl)</source>
        <translation>Testowe (api-test.ksef.mf.gov.pl)</translation>
    </message>
    <message>
        <source>Production (api.ksef.mf.gov.pl)</source>
        <translation>Produkcyjne (api.ksef.mf.gov.pl)</translation>
    </message>
    <message>
        <source>Another address</source>
        <translation>Inny adres</translation>
    </message>
    <message>
        <source>paste a new token to replace the stored one</source>
        <translation>wklej nowy token, aby zastąpić zapisany</translation>
    </message>
    <message>
        <source>Invoices go to KSeF through a queue: while KSeF cannot be reached they are issued offline and sent when it is back. The token is kept in the keychain (or your encrypted secrets file), never in the database.</source>
        <translation>Faktury trafiają do KSeF przez kolejkę: gdy KSeF jest nieosiągalny, są wystawiane offline i wysyłane, gdy znów działa. Token jest przechowywany w pęku kluczy (albo w Twoim zaszyfrowanym pliku sekretów), nigdy w bazie danych.</translation>
    </message>
    <message>
        <source>&amp;Environment:</source>
        <translation>Ś&amp;rodowisko:</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>&amp;Adres:</translation>
    </message>
    <message>
        <source>Seller's &amp;NIP:</source>
        <translation>&amp;NIP sprzedawcy:</translation>
    </message>
    <message>
        <source>KSeF &amp;token:</source>
        <translation>&amp;Token KSeF:</translation>
    </message>
    <message>
        <source>The secret store is not open: a token cannot be read or stored now.</source>
        <translation>Magazyn sekretów nie jest otwarty: teraz nie można odczytać ani zapisać tokenu.</translation>
    </message>
    <message>
        <source>A token is stored in the secret store.</source>
        <translation>Token jest zapisany w magazynie sekretów.</translation>
    </message>
    <message>
        <source>No token is stored yet.</source>
        <translation>Nie zapisano jeszcze tokenu.</translation>
    </message>
    <message>
        <source>Seller's NIP: %1</source>
        <translation>NIP sprzedawcy: %1</translation>
    </message>
    <message>
        <source>The secret store is not open: the KSeF token cannot be read.</source>
        <translation>Magazyn sekretów nie jest otwarty: nie można odczytać tokenu KSeF.</translation>
    </message>
    <message>
        <source>Paste the KSeF token first.</source>
        <translation>Najpierw wklej token KSeF.</translation>
    </message>
    <message>
        <source>The secret store is not open: the KSeF token cannot be stored. Nothing was saved.</source>
        <translation>Magazyn sekretów nie jest otwarty: nie można zapisać tokenu KSeF. Niczego nie zapisano.</translation>
    </message>
    <message>
        <source>KSeF cannot be switched on without the seller's NIP.</source>
        <translation>Nie można włączyć KSeF bez NIP-u sprzedawcy.</translation>
    </message>
    <message>
        <source>KSeF cannot be switched on without a token: %1</source>
        <translation>Nie można włączyć KSeF bez tokenu: %1</translation>
    </message>
    <message>
        <source>Saved. Issued invoices are sent to KSeF.</source>
        <translation>Zapisano. Wystawione faktury są wysyłane do KSeF.</translation>
    </message>
    <message>
        <source>Saved. KSeF is off: invoices are not sent.</source>
        <translation>Zapisano. KSeF jest wyłączony: faktury nie są wysyłane.</translation>
    </message>
    <message>
        <source>Enter the seller's NIP first.</source>
        <translation>Najpierw wpisz NIP sprzedawcy.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Łączenie z %1…</translation>
    </message>
    <message>
        <source>Connected: KSeF accepted the token for NIP %1.</source>
        <translation>Połączono: KSeF przyjął token dla NIP %1.</translation>
    </message>
    <message>
        <source>KSeF did not accept the connection: %1</source>
        <translation>KSeF nie przyjął połączenia: %1</translation>
    </message>
</context>
<context>
    <name>sd::ui::LoginDialog</name>
    <message>
        <source>Log in to SellerDesk</source>
        <translation>Logowanie do SellerDesk</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Workstation: %2</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Stanowisko: %2</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Użytkownik:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Hasło:</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Zaloguj</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Zakończ</translation>
    </message>
</context>
<context>
    <name>sd::ui::MainWindow</name>
    <message>
        <source>SellerDesk — %1</source>
        <translation>SellerDesk — %1</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Znajdź</translation>
    </message>
    <message>
        <source>Next order</source>
        <translation>Następne zamówienie</translation>
    </message>
    <message>
        <source>Previous order</source>
        <translation>Poprzednie zamówienie</translation>
    </message>
    <message numerus="yes">
        <source>%n order(s)</source>
        <translation>
            <numerusform>%n zamówienie</numerusform>
            <numerusform>%n zamówienia</numerusform>
            <numerusform>%n zamówień</numerusform>
        </translation>
    </message>
    <message>
        <source>Change status…</source>
        <translation>Zmień status…</translation>
    </message>
    <message numerus="yes">
        <source>Changing the status of %n order(s)…</source>
        <translation>
            <numerusform>Zmieniam status %n zamówienia…</numerusform>
            <numerusform>Zmieniam status %n zamówień…</numerusform>
            <numerusform>Zmieniam status %n zamówień…</numerusform>
        </translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Zatrzymaj</translation>
    </message>
    <message>
        <source>changed by hand</source>
        <translation>zmienione ręcznie</translation>
    </message>
    <message numerus="yes">
        <source>The status of %n order(s) could not be changed: %1</source>
        <translation>
            <numerusform>Nie udało się zmienić statusu %n zamówienia: %1</numerusform>
            <numerusform>Nie udało się zmienić statusu %n zamówień: %1</numerusform>
            <numerusform>Nie udało się zmienić statusu %n zamówień: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Status set to %1 for %n order(s); the buyers will be told.</source>
        <translation>
            <numerusform>Ustawiono status %1 dla %n zamówienia; kupujący zostaną powiadomieni.</numerusform>
            <numerusform>Ustawiono status %1 dla %n zamówień; kupujący zostaną powiadomieni.</numerusform>
            <numerusform>Ustawiono status %1 dla %n zamówień; kupujący zostaną powiadomieni.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Status set to %1 for %n order(s), silently.</source>
        <translation>
            <numerusform>Ustawiono status %1 dla %n zamówienia, bez powiadamiania.</numerusform>
            <numerusform>Ustawiono status %1 dla %n zamówień, bez powiadamiania.</numerusform>
            <numerusform>Ustawiono status %1 dla %n zamówień, bez powiadamiania.</numerusform>
        </translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>Filtry</translation>
    </message>
    <message>
        <source>Show the filter panel (Ctrl+Shift+F)</source>
        <translation>Pokaż panel filtrów (Ctrl+Shift+F)</translation>
    </message>
    <message>
        <source>Save view</source>
        <translation>Zapisz widok</translation>
    </message>
    <message>
        <source>Name of the view (it becomes a tab):</source>
        <translation>Nazwa widoku (stanie się zakładką):</translation>
    </message>
    <message>
        <source>Add tag…</source>
        <translation>Dodaj tag…</translation>
    </message>
    <message>
        <source>Remove tag…</source>
        <translation>Usuń tag…</translation>
    </message>
    <message>
        <source>Export to CSV…</source>
        <translation>Eksportuj do CSV…</translation>
    </message>
    <message>
        <source>Export orders</source>
        <translation>Eksport zamówień</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Pliki CSV (*.csv)</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Skróty klawiszowe</translation>
    </message>
    <message>
        <source>Add tag</source>
        <translation>Dodaj tag</translation>
    </message>
    <message>
        <source>Remove tag</source>
        <translation>Usuń tag</translation>
    </message>
    <message numerus="yes">
        <source>Tag for %n order(s):</source>
        <translation>
            <numerusform>Tag dla %n zamówienia:</numerusform>
            <numerusform>Tag dla %n zamówień:</numerusform>
            <numerusform>Tag dla %n zamówień:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Changing tags of %n order(s)…</source>
        <translation>
            <numerusform>Zmieniam tagi %n zamówienia…</numerusform>
            <numerusform>Zmieniam tagi %n zamówień…</numerusform>
            <numerusform>Zmieniam tagi %n zamówień…</numerusform>
        </translation>
    </message>
    <message>
        <source>tags changed by hand</source>
        <translation>tagi zmienione ręcznie</translation>
    </message>
    <message numerus="yes">
        <source>The tags of %n order(s) could not be changed: %1</source>
        <translation>
            <numerusform>Nie udało się zmienić tagów %n zamówienia: %1</numerusform>
            <numerusform>Nie udało się zmienić tagów %n zamówień: %1</numerusform>
            <numerusform>Nie udało się zmienić tagów %n zamówień: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Nie można zapisać %1: %2</translation>
    </message>
    <message numerus="yes">
        <source>Exporting %n order(s)…</source>
        <translation>
            <numerusform>Eksportuję %n zamówienie…</numerusform>
            <numerusform>Eksportuję %n zamówienia…</numerusform>
            <numerusform>Eksportuję %n zamówień…</numerusform>
        </translation>
    </message>
    <message>
        <source>The export failed: %1</source>
        <translation>Eksport nie powiódł się: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) exported to %1</source>
        <translation>
            <numerusform>Wyeksportowano %n zamówienie do %1</numerusform>
            <numerusform>Wyeksportowano %n zamówienia do %1</numerusform>
            <numerusform>Wyeksportowano %n zamówień do %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Ctrl+Shift+F</source>
        <translation>Ctrl+Shift+F</translation>
    </message>
    <message>
        <source>Order statuses…</source>
        <translation>Statusy zamówień…</translation>
    </message>
    <message>
        <source>New order…</source>
        <translation>Nowe zamówienie…</translation>
    </message>
    <message>
        <source>Edit order…</source>
        <translation>Edytuj zamówienie…</translation>
    </message>
    <message>
        <source>Order %1 comes from %2: its data is the marketplace's. Only manual orders are edited here.</source>
        <translation>Zamówienie %1 pochodzi z %2: jego dane należą do serwisu. Tutaj edytuje się tylko zamówienia ręczne.</translation>
    </message>
    <message>
        <source>&amp;Orders</source>
        <translation>&amp;Zamówienia</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Widok</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Kolumny</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Ustawienia</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Język</translation>
    </message>
    <message>
        <source>As the system</source>
        <translation>Jak w systemie</translation>
    </message>
    <message>
        <source>The language changes when SellerDesk starts again.</source>
        <translation>Język zmieni się przy następnym uruchomieniu SellerDesk.</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Pomoc</translation>
    </message>
    <message>
        <source>Edit notes…</source>
        <translation>Edytuj notatki…</translation>
    </message>
    <message>
        <source>Notes of order %1</source>
        <translation>Notatki zamówienia %1</translation>
    </message>
    <message>
        <source>Notes for the team (not shown to the buyer):</source>
        <translation>Notatki dla zespołu (kupujący ich nie widzi):</translation>
    </message>
    <message>
        <source>notes edited</source>
        <translation>notatki zmienione</translation>
    </message>
    <message>
        <source>Open in a window</source>
        <translation>Otwórz w oknie</translation>
    </message>
    <message>
        <source>Automation rules…</source>
        <translation>Reguły automatyzacji…</translation>
    </message>
    <message>
        <source>Search: number, marketplace id, buyer, e-mail, item, SKU, EAN or tracking number (Ctrl+F)</source>
        <translation>Szukaj: numer, nr w serwisie, kupujący, e-mail, produkt, SKU, EAN lub numer przesyłki (Ctrl+F)</translation>
    </message>
    <message>
        <source>Run rule…</source>
        <translation>Uruchom regułę…</translation>
    </message>
    <message>
        <source>run by hand</source>
        <translation>uruchomienie ręczne</translation>
    </message>
    <message>
        <source>Documents…</source>
        <translation>Dokumenty…</translation>
    </message>
    <message>
        <source>Company and documents…</source>
        <translation>Firma i dokumenty…</translation>
    </message>
    <message>
        <source>Issue invoice</source>
        <translation>Wystaw fakturę</translation>
    </message>
    <message>
        <source>Stock and offers…</source>
        <translation>Magazyn i oferty…</translation>
    </message>
    <message>
        <source>Invoices: %1 issued, %2 left for manual invoicing, %3 failed</source>
        <translation>Faktury: wystawione %1, do ręcznego wystawienia %2, nieudane %3</translation>
    </message>
    <message>
        <source>invoice</source>
        <translation>faktura</translation>
    </message>
    <message>
        <source>%1 issued for order %2.</source>
        <translation>Wystawiono %1 do zamówienia %2.</translation>
    </message>
    <message>
        <source>Automation: starting…</source>
        <translation>Automatyzacja: uruchamianie…</translation>
    </message>
    <message>
        <source>Automation: running</source>
        <translation>Automatyzacja: działa</translation>
    </message>
    <message>
        <source>Automation: not running here</source>
        <translation>Automatyzacja: nie działa w tym oknie</translation>
    </message>
    <message>
        <source>TRAINING — a training shop with simulated printers: nothing here is real and nothing leaves this computer.</source>
        <translation>SZKOLENIE — sklep szkoleniowy z symulowanymi drukarkami: nic tu nie jest prawdziwe i nic nie wychodzi poza ten komputer.</translation>
    </message>
    <message>
        <source>This profile works with the training marketplace and the simulators. Every printout is marked TRAINING. Create a new profile for real work.</source>
        <translation>Ten profil działa z serwisem szkoleniowym i symulatorami. Każdy wydruk ma oznaczenie TRAINING / SZKOLENIE. Do prawdziwej pracy utwórz nowy profil.</translation>
    </message>
    <message>
        <source>User guide</source>
        <translation>Podręcznik użytkownika</translation>
    </message>
    <message>
        <source>Opens the user guide at the chapter about the window you are in (F1 works in every window).</source>
        <translation>Otwiera podręcznik na rozdziale o oknie, w którym jesteś (F1 działa w każdym oknie).</translation>
    </message>
    <message>
        <source>First-run guide…</source>
        <translation>Przewodnik pierwszego uruchomienia…</translation>
    </message>
    <message>
        <source>Profit, shipping and loss guard…</source>
        <translation>Zysk, wysyłka i ochrona przed stratą…</translation>
    </message>
    <message>
        <source>Sales and profit reports…</source>
        <translation>Raporty sprzedaży i zysku…</translation>
    </message>
    <message>
        <source>Messaging…</source>
        <translation>Wiadomości i powiadomienia…</translation>
    </message>
    <message>
        <source>Message templates…</source>
        <translation>Szablony wiadomości…</translation>
    </message>
    <message>
        <source>Messages…</source>
        <translation>Wiadomości…</translation>
    </message>
    <message>
        <source>Messages of the order…</source>
        <translation>Wiadomości zamówienia…</translation>
    </message>
    <message>
        <source>Request confirmation (again)</source>
        <translation>Poproś o potwierdzenie (ponownie)</translation>
    </message>
    <message>
        <source>Confirm by hand</source>
        <translation>Potwierdź ręcznie</translation>
    </message>
    <message>
        <source>Printers…</source>
        <translation>Drukarki…</translation>
    </message>
    <message>
        <source>Print queue…</source>
        <translation>Kolejka wydruków…</translation>
    </message>
    <message>
        <source>Receipt and label…</source>
        <translation>Paragon i etykieta…</translation>
    </message>
    <message>
        <source>Packing station</source>
        <translation>Stanowisko pakowania</translation>
    </message>
    <message>
        <source>Pick list…</source>
        <translation>Lista kompletacyjna…</translation>
    </message>
    <message>
        <source>Barcode scanner…</source>
        <translation>Czytnik kodów kreskowych…</translation>
    </message>
    <message numerus="yes">
        <source>The training shop is ready: %n order(s) to try everything on.</source>
        <translation>
            <numerusform>Sklep szkoleniowy gotowy: %n zamówienie do wypróbowania wszystkiego.</numerusform>
            <numerusform>Sklep szkoleniowy gotowy: %n zamówienia do wypróbowania wszystkiego.</numerusform>
            <numerusform>Sklep szkoleniowy gotowy: %n zamówień do wypróbowania wszystkiego.</numerusform>
        </translation>
    </message>
    <message>
        <source>packing station</source>
        <translation>stanowisko pakowania</translation>
    </message>
    <message>
        <source>Scanned %1: order %2.</source>
        <translation>Zeskanowano %1: zamówienie %2.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>%1
SKU %2 · EAN %3 · location %4
In stock: %5 (reserved %6)
%7</source>
        <translation>%1
SKU %2 · EAN %3 · lokalizacja %4
Na stanie: %5 (zarezerwowano %6)
%7</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>nie ustawiono</translation>
    </message>
    <message>
        <source>Choose an order before scanning a command barcode.</source>
        <translation>Przed zeskanowaniem kodu polecenia wybierz zamówienie.</translation>
    </message>
    <message>
        <source>command barcode</source>
        <translation>kod polecenia</translation>
    </message>
    <message numerus="yes">
        <source>Command barcode: the rule runs on %n order(s).</source>
        <translation>
            <numerusform>Kod polecenia: reguła działa na %n zamówieniu.</numerusform>
            <numerusform>Kod polecenia: reguła działa na %n zamówieniach.</numerusform>
            <numerusform>Kod polecenia: reguła działa na %n zamówieniach.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing is known by the scanned code %1.</source>
        <translation>Nic nie ma zeskanowanego kodu %1.</translation>
    </message>
    <message>
        <source>Order %1 confirmed.</source>
        <translation>Zamówienie %1 potwierdzone.</translation>
    </message>
    <message>
        <source>Confirmation request queued for %1.</source>
        <translation>Prośba o potwierdzenie czeka na wysłanie do %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) passed a payment or dispatch deadline.</source>
        <translation>
            <numerusform>%n zamówienie przekroczyło termin płatności lub wysyłki.</numerusform>
            <numerusform>%n zamówienia przekroczyły termin płatności lub wysyłki.</numerusform>
            <numerusform>%n zamówień przekroczyło termin płatności lub wysyłki.</numerusform>
        </translation>
    </message>
    <message>
        <source>SellerDesk: deadlines</source>
        <translation>SellerDesk: terminy</translation>
    </message>
    <message>
        <source>Confirmed by the buyer's reply</source>
        <translation>Potwierdzone odpowiedzią kupującego</translation>
    </message>
    <message>
        <source>Returns…</source>
        <translation>Zwroty…</translation>
    </message>
    <message>
        <source>Register return…</source>
        <translation>Zarejestruj zwrot…</translation>
    </message>
    <message>
        <source>Service cases (warranty)…</source>
        <translation>Zgłoszenia serwisowe (gwarancja)…</translation>
    </message>
    <message>
        <source>Choose the order whose items come back.</source>
        <translation>Wybierz zamówienie, którego produkty wracają.</translation>
    </message>
</context>
<context>
    <name>sd::ui::MessagesDialog</name>
    <message>
        <source>Messages of order %1</source>
        <translation>Wiadomości zamówienia %1</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Wiadomości</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Otrzymano</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Zamówienie</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Od</translation>
    </message>
    <message>
        <source>Thread</source>
        <translation>Wątek</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Wiadomość</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Utworzono</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanał</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Do</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Temat</translation>
    </message>
    <message>
        <source>&amp;Received</source>
        <translation>&amp;Odebrane</translation>
    </message>
    <message>
        <source>&amp;Sent</source>
        <translation>&amp;Wysłane</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>&amp;Odśwież</translation>
    </message>
    <message>
        <source>%1 (you)</source>
        <translation>%1 (Ty)</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>wysłana</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>błąd: %1</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>w kolejce</translation>
    </message>
    <message>
        <source>will be tried again: %1</source>
        <translation>zostanie ponowiona: %1</translation>
    </message>
    <message>
        <source>being sent</source>
        <translation>w trakcie wysyłania</translation>
    </message>
</context>
<context>
    <name>sd::ui::MessagingSettingsDialog</name>
    <message>
        <source>Messaging settings</source>
        <translation>Ustawienia wiadomości</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serwer</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Zabezpieczenie</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Od</translation>
    </message>
    <message>
        <source>Store</source>
        <translation>Sklep</translation>
    </message>
    <message>
        <source>recipient of the test e-mail</source>
        <translation>odbiorca testowego e-maila</translation>
    </message>
    <message>
        <source>Send &amp;test e-mail</source>
        <translation>Wyślij &amp;testowy e-mail</translation>
    </message>
    <message>
        <source>New mail account</source>
        <translation>Nowe konto pocztowe</translation>
    </message>
    <message>
        <source>e.g. Shop</source>
        <translation>np. Sklep</translation>
    </message>
    <message>
        <source>STARTTLS (required)</source>
        <translation>STARTTLS (wymagane)</translation>
    </message>
    <message>
        <source>SSL on connect</source>
        <translation>SSL od połączenia</translation>
    </message>
    <message>
        <source>None (local server only)</source>
        <translation>Brak (tylko serwer lokalny)</translation>
    </message>
    <message>
        <source>empty: the default account</source>
        <translation>puste: konto domyślne</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nazwa:</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Serwer:</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <source>Se&amp;curity:</source>
        <translation>&amp;Zabezpieczenie:</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;Użytkownik:</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>&amp;Hasło:</translation>
    </message>
    <message>
        <source>&amp;From address:</source>
        <translation>&amp;Adres nadawcy:</translation>
    </message>
    <message>
        <source>From na&amp;me:</source>
        <translation>Nazwa na&amp;dawcy:</translation>
    </message>
    <message>
        <source>Marketplace &amp;account (sender for its orders):</source>
        <translation>&amp;Konto marketplace (nadawca dla jego zamówień):</translation>
    </message>
    <message>
        <source>&amp;Add mail account</source>
        <translation>&amp;Dodaj konto pocztowe</translation>
    </message>
    <message>
        <source>SMS gateway</source>
        <translation>Bramka SMS</translation>
    </message>
    <message>
        <source>unchanged when empty</source>
        <translation>bez zmian, gdy puste</translation>
    </message>
    <message>
        <source>N&amp;ame:</source>
        <translation>N&amp;azwa:</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>&amp;Adres:</translation>
    </message>
    <message>
        <source>Sen&amp;der name:</source>
        <translation>Nazwa na&amp;dawcy:</translation>
    </message>
    <message>
        <source>&amp;Token:</source>
        <translation>&amp;Token:</translation>
    </message>
    <message>
        <source>Save SMS &amp;gateway</source>
        <translation>Zapisz &amp;bramkę SMS</translation>
    </message>
    <message>
        <source>&amp;Accounts</source>
        <translation>&amp;Konta</translation>
    </message>
    <message>
        <source>Status changes also by SMS (when a gateway is set)</source>
        <translation>Zmiany statusu także SMS-em (gdy bramka jest ustawiona)</translation>
    </message>
    <message>
        <source>E-mail issued invoices to the buyer with the PDF</source>
        <translation>Wysyłaj kupującemu wystawione faktury e-mailem z PDF</translation>
    </message>
    <message>
        <source>Attach issued invoices to the Allegro order</source>
        <translation>Dołączaj wystawione faktury do zamówienia na Allegro</translation>
    </message>
    <message>
        <source>E-mail me the number of new orders after each download</source>
        <translation>Wysyłaj mi e-mail z liczbą nowych zamówień po każdym pobraniu</translation>
    </message>
    <message>
        <source>the seller's address for notifications</source>
        <translation>adres sprzedawcy dla powiadomień</translation>
    </message>
    <message>
        <source>off</source>
        <translation>wyłączone</translation>
    </message>
    <message>
        <source> days</source>
        <translation> dni</translation>
    </message>
    <message>
        <source>E-mail me each passed deadline too</source>
        <translation>Wysyłaj mi też e-mail o każdym minionym terminie</translation>
    </message>
    <message>
        <source>Seller's &amp;e-mail:</source>
        <translation>&amp;E-mail sprzedawcy:</translation>
    </message>
    <message>
        <source>Alert when unpaid &amp;after:</source>
        <translation>Alert, gdy nieopłacone &amp;po:</translation>
    </message>
    <message>
        <source>Alert when not &amp;dispatched after:</source>
        <translation>Alert, gdy niewysłane p&amp;o:</translation>
    </message>
    <message>
        <source>&amp;Notifications</source>
        <translation>&amp;Powiadomienia</translation>
    </message>
    <message>
        <source>Answer buyers' messages automatically</source>
        <translation>Odpowiadaj automatycznie na wiadomości kupujących</translation>
    </message>
    <message>
        <source>Message Center</source>
        <translation>Centrum wiadomości</translation>
    </message>
    <message>
        <source>Discussions</source>
        <translation>Dyskusje</translation>
    </message>
    <message>
        <source>always</source>
        <translation>zawsze</translation>
    </message>
    <message>
        <source>within working hours</source>
        <translation>w godzinach pracy</translation>
    </message>
    <message>
        <source>outside working hours</source>
        <translation>poza godzinami pracy</translation>
    </message>
    <message>
        <source>Only the first message in a thread</source>
        <translation>Tylko pierwsza wiadomość w wątku</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minuta</numerusform>
            <numerusform>%n minuty</numerusform>
            <numerusform>%n minut</numerusform>
        </translation>
    </message>
    <message>
        <source>at once</source>
        <translation>od razu</translation>
    </message>
    <message>
        <source>marketplace account numbers, comma-separated; empty: all</source>
        <translation>numery kont marketplace po przecinku; puste: wszystkie</translation>
    </message>
    <message>
        <source>The reply; {shopName} is the shop's name</source>
        <translation>Odpowiedź; {shopName} to nazwa sklepu</translation>
    </message>
    <message>
        <source>Holidays: one date a line, e.g. 2026-12-25</source>
        <translation>Dni wolne: jedna data w wierszu, np. 2026-12-25</translation>
    </message>
    <message>
        <source>Message types:</source>
        <translation>Rodzaje wiadomości:</translation>
    </message>
    <message>
        <source>&amp;When:</source>
        <translation>&amp;Kiedy:</translation>
    </message>
    <message>
        <source>&amp;Delay:</source>
        <translation>&amp;Opóźnienie:</translation>
    </message>
    <message>
        <source>Acc&amp;ounts:</source>
        <translation>Ko&amp;nta:</translation>
    </message>
    <message>
        <source>&amp;Reply:</source>
        <translation>&amp;Odpowiedź:</translation>
    </message>
    <message>
        <source>Working hours:</source>
        <translation>Godziny pracy:</translation>
    </message>
    <message>
        <source>&amp;Holidays:</source>
        <translation>Dni &amp;wolne:</translation>
    </message>
    <message>
        <source>Auto&amp;responder</source>
        <translation>Auto&amp;responder</translation>
    </message>
    <message>
        <source>default</source>
        <translation>domyślne</translation>
    </message>
    <message>
        <source>The autoresponder needs the text of its reply.</source>
        <translation>Autoresponder potrzebuje treści odpowiedzi.</translation>
    </message>
    <message>
        <source>%1: the working hours must end after they start.</source>
        <translation>%1: godziny pracy muszą kończyć się po ich rozpoczęciu.</translation>
    </message>
    <message>
        <source>"%1" is not a date (write it as 2026-12-25).</source>
        <translation>„%1” to nie jest data (wpisz ją jako 2026-12-25).</translation>
    </message>
    <message>
        <source>Give the seller's e-mail address for these notifications.</source>
        <translation>Podaj adres e-mail sprzedawcy dla tych powiadomień.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Zapisano.</translation>
    </message>
    <message>
        <source>A mail account needs its server and a sender address.</source>
        <translation>Konto pocztowe wymaga serwera i adresu nadawcy.</translation>
    </message>
    <message>
        <source>The secret store is not open: the password cannot be kept. Open it first (Accounts).</source>
        <translation>Magazyn sekretów nie jest otwarty: nie można zachować hasła. Najpierw go otwórz (Konta).</translation>
    </message>
    <message>
        <source>Mail account %1 added.</source>
        <translation>Dodano konto pocztowe %1.</translation>
    </message>
    <message>
        <source>The gateway's address is not a URL.</source>
        <translation>Adres bramki nie jest adresem URL.</translation>
    </message>
    <message>
        <source>SMS gateway saved.</source>
        <translation>Zapisano bramkę SMS.</translation>
    </message>
    <message>
        <source>Add a mail account first.</source>
        <translation>Najpierw dodaj konto pocztowe.</translation>
    </message>
    <message>
        <source>Give the address to send the test e-mail to.</source>
        <translation>Podaj adres, na który wysłać testowy e-mail.</translation>
    </message>
    <message>
        <source>The test e-mail was not sent: %1</source>
        <translation>Testowy e-mail nie został wysłany: %1</translation>
    </message>
    <message>
        <source>The test e-mail went to %1.</source>
        <translation>Testowy e-mail wysłano do %1.</translation>
    </message>
    <message>
        <source>e.g. https://sklep.example.pl/potwierdz (empty: the shop's address + /confirm)</source>
        <translation>np. https://sklep.example.pl/potwierdz (puste: adres sklepu + /confirm)</translation>
    </message>
    <message>
        <source>Order &amp;confirmation link:</source>
        <translation>Link &amp;potwierdzenia zamówienia:</translation>
    </message>
    <message>
        <source>The confirmation link must be a web address such as https://sklep.example.pl/potwierdz.</source>
        <translation>Link potwierdzenia musi być adresem strony, np. https://sklep.example.pl/potwierdz.</translation>
    </message>
</context>
<context>
    <name>sd::ui::MoneySettingsDialog</name>
    <message>
        <source>Add row</source>
        <translation>Dodaj wiersz</translation>
    </message>
    <message>
        <source>Remove row</source>
        <translation>Usuń wiersz</translation>
    </message>
    <message>
        <source>Profit, shipping and loss guard</source>
        <translation>Zysk, wysyłka i ochrona przed stratą</translation>
    </message>
    <message>
        <source>Default marketplace commission (%)</source>
        <translation>Domyślna prowizja serwisu (%)</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanał</translation>
    </message>
    <message>
        <source>Commission (%)</source>
        <translation>Prowizja (%)</translation>
    </message>
    <message>
        <source>Commission per channel
(when the marketplace's billing
gives none)</source>
        <translation>Prowizja według kanału
(gdy rozliczenie serwisu
jej nie podaje)</translation>
    </message>
    <message>
        <source>Packaging per order (PLN net)</source>
        <translation>Pakowanie na zamówienie (PLN netto)</translation>
    </message>
    <message>
        <source>Courier cost, default (PLN net)</source>
        <translation>Koszt kuriera, domyślny (PLN netto)</translation>
    </message>
    <message>
        <source>Delivery method</source>
        <translation>Metoda dostawy</translation>
    </message>
    <message>
        <source>Courier cost (PLN net)</source>
        <translation>Koszt kuriera (PLN netto)</translation>
    </message>
    <message>
        <source>Courier cost per method</source>
        <translation>Koszt kuriera według metody</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>Metoda płatności</translation>
    </message>
    <message>
        <source>Fee (e.g. 0.30+1.9%)</source>
        <translation>Opłata (np. 0.30+1.9%)</translation>
    </message>
    <message>
        <source>Payment fees</source>
        <translation>Opłaty za płatność</translation>
    </message>
    <message>
        <source>Costs</source>
        <translation>Koszty</translation>
    </message>
    <message>
        <source>Base (PLN)</source>
        <translation>Stawka podstawowa (PLN)</translation>
    </message>
    <message>
        <source>Per started kg (PLN)</source>
        <translation>Za każdy rozpoczęty kg (PLN)</translation>
    </message>
    <message>
        <source>Per item after the first (PLN)</source>
        <translation>Za każdą sztukę po pierwszej (PLN)</translation>
    </message>
    <message>
        <source>Cash on delivery surcharge (PLN)</source>
        <translation>Dopłata za pobranie (PLN)</translation>
    </message>
    <message>
        <source>Free shipping from (PLN, 0: never)</source>
        <translation>Darmowa wysyłka od (PLN, 0: nigdy)</translation>
    </message>
    <message>
        <source>Pick-up methods (free; comma-separated)</source>
        <translation>Metody odbioru osobistego (bezpłatne; po przecinku)</translation>
    </message>
    <message>
        <source>Country (* = others)</source>
        <translation>Kraj (* = pozostałe)</translation>
    </message>
    <message>
        <source>Zone surcharge (PLN)</source>
        <translation>Dopłata strefowa (PLN)</translation>
    </message>
    <message>
        <source>Zones</source>
        <translation>Strefy</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Podgląd</translation>
    </message>
    <message>
        <source>Weight (g)</source>
        <translation>Waga (g)</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Kraj</translation>
    </message>
    <message>
        <source>Online payment</source>
        <translation>Płatność online</translation>
    </message>
    <message>
        <source>Bank transfer</source>
        <translation>Przelew</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Gotówka</translation>
    </message>
    <message>
        <source>Cash on delivery</source>
        <translation>Pobranie</translation>
    </message>
    <message>
        <source>Company purchase</source>
        <translation>Zakup firmowy</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>Płatność</translation>
    </message>
    <message>
        <source>Courier</source>
        <translation>Kurier</translation>
    </message>
    <message>
        <source>Goods value (PLN)</source>
        <translation>Wartość towaru (PLN)</translation>
    </message>
    <message>
        <source>Shipping formula</source>
        <translation>Formuła kosztu wysyłki</translation>
    </message>
    <message>
        <source>Keep orders that would be completed at a loss out of the completed statuses</source>
        <translation>Nie pozwalaj zakończyć zamówień, które przyniosłyby stratę</translation>
    </message>
    <message>
        <source>Lowest acceptable profit (PLN)</source>
        <translation>Najniższy dopuszczalny zysk (PLN)</translation>
    </message>
    <message>
        <source>optional: also e-mail the administrator</source>
        <translation>opcjonalnie: powiadom też administratora e-mailem</translation>
    </message>
    <message>
        <source>Administrator's e-mail</source>
        <translation>E-mail administratora</translation>
    </message>
    <message>
        <source>Orders held by the loss guard:</source>
        <translation>Zamówienia zatrzymane przez ochronę przed stratą:</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Zamówienie</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Od</translation>
    </message>
    <message>
        <source>Profit</source>
        <translation>Zysk</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Reasons</source>
        <translation>Powody</translation>
    </message>
    <message>
        <source>Why the order may be completed anyway</source>
        <translation>Dlaczego zamówienie może mimo to zostać zakończone</translation>
    </message>
    <message>
        <source>&amp;Release</source>
        <translation>&amp;Zwolnij</translation>
    </message>
    <message>
        <source>Loss guard</source>
        <translation>Ochrona przed stratą</translation>
    </message>
    <message>
        <source>held</source>
        <translation>zatrzymane</translation>
    </message>
    <message>
        <source>released by %1: %2</source>
        <translation>zwolnił(a) %1: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Default commission</source>
        <translation>Domyślna prowizja</translation>
    </message>
    <message>
        <source>%1, row %2: the first column is empty.</source>
        <translation>%1, wiersz %2: pierwsza kolumna jest pusta.</translation>
    </message>
    <message>
        <source>%1, row %2</source>
        <translation>%1, wiersz %2</translation>
    </message>
    <message>
        <source>Commission per channel</source>
        <translation>Prowizja według kanału</translation>
    </message>
    <message>
        <source>Packaging</source>
        <translation>Pakowanie</translation>
    </message>
    <message>
        <source>Courier cost</source>
        <translation>Koszt kuriera</translation>
    </message>
    <message>
        <source>Base</source>
        <translation>Stawka podstawowa</translation>
    </message>
    <message>
        <source>Per started kg</source>
        <translation>Za każdy rozpoczęty kg</translation>
    </message>
    <message>
        <source>Per item after the first</source>
        <translation>Za każdą sztukę po pierwszej</translation>
    </message>
    <message>
        <source>Cash on delivery surcharge</source>
        <translation>Dopłata za pobranie</translation>
    </message>
    <message>
        <source>Free shipping from</source>
        <translation>Darmowa wysyłka od</translation>
    </message>
    <message>
        <source>Pick-up methods</source>
        <translation>Metody odbioru osobistego</translation>
    </message>
    <message>
        <source>Lowest acceptable profit</source>
        <translation>Najniższy dopuszczalny zysk</translation>
    </message>
    <message>
        <source>The weight is a whole number of grams.</source>
        <translation>Waga to liczba całkowita gramów.</translation>
    </message>
    <message>
        <source>Saved. Profits are recomputed with these settings as they are shown.</source>
        <translation>Zapisano. Zyski są przeliczane według tych ustawień przy wyświetlaniu.</translation>
    </message>
    <message>
        <source>Choose an order that is held in the list first.</source>
        <translation>Najpierw wybierz z listy zatrzymane zamówienie.</translation>
    </message>
    <message>
        <source>Order %1 may be completed now.</source>
        <translation>Zamówienie %1 może być teraz zakończone.</translation>
    </message>
</context>
<context>
    <name>sd::ui::OrderAutomationTab</name>
    <message>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Reguła</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Krok</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Co się stało</translation>
    </message>
    <message>
        <source>Rules that looked at this order</source>
        <translation>Reguły, które sprawdzały to zamówienie</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>Ślad</translation>
    </message>
    <message>
        <source>No rule has looked at this order yet.</source>
        <translation>Żadna reguła nie sprawdzała jeszcze tego zamówienia.</translation>
    </message>
    <message>
        <source>conditions</source>
        <translation>warunki</translation>
    </message>
    <message>
        <source>timer</source>
        <translation>odliczanie</translation>
    </message>
    <message>
        <source>action</source>
        <translation>akcja</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>(usunięta)</translation>
    </message>
</context>
<context>
    <name>sd::ui::OrderDevicesTab</name>
    <message>
        <source>Fiscal receipt</source>
        <translation>Paragon fiskalny</translation>
    </message>
    <message>
        <source>&amp;Issue receipt</source>
        <translation>&amp;Wystaw paragon</translation>
    </message>
    <message>
        <source>&amp;Resolve unknown receipt…</source>
        <translation>&amp;Rozstrzygnij nieznany paragon…</translation>
    </message>
    <message>
        <source>Shipping label</source>
        <translation>Etykieta wysyłkowa</translation>
    </message>
    <message>
        <source>C&amp;ourier:</source>
        <translation>&amp;Kurier:</translation>
    </message>
    <message>
        <source>Wysyłam z Allegro</source>
        <translation>Wysyłam z Allegro</translation>
    </message>
    <message>
        <source>InPost (ShipX)</source>
        <translation>InPost (ShipX)</translation>
    </message>
    <message>
        <source>&amp;Create label</source>
        <translation>&amp;Utwórz etykietę</translation>
    </message>
    <message>
        <source>&amp;Print label</source>
        <translation>&amp;Drukuj etykietę</translation>
    </message>
    <message>
        <source>Unknown receipt</source>
        <translation>Nieznany paragon</translation>
    </message>
    <message>
        <source>Whether this receipt was printed is unknown. Look at the printer's journal (or its last receipts): is there a receipt for this order?</source>
        <translation>Nie wiadomo, czy ten paragon został wydrukowany. Sprawdź kopię elektroniczną drukarki (lub jej ostatnie paragony): czy jest paragon dla tego zamówienia?</translation>
    </message>
    <message>
        <source>It was printed</source>
        <translation>Został wydrukowany</translation>
    </message>
    <message>
        <source>It was not printed</source>
        <translation>Nie został wydrukowany</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>Numer paragonu</translation>
    </message>
    <message>
        <source>The number printed on the receipt (0 if unreadable):</source>
        <translation>Numer wydrukowany na paragonie (0, jeśli nieczytelny):</translation>
    </message>
    <message>
        <source>Reprint the label</source>
        <translation>Ponowny wydruk etykiety</translation>
    </message>
    <message>
        <source>Why is the label printed again?</source>
        <translation>Dlaczego etykieta jest drukowana ponownie?</translation>
    </message>
    <message>
        <source>No order selected.</source>
        <translation>Nie wybrano zamówienia.</translation>
    </message>
    <message>
        <source>No receipt yet. No fiscal printer is set for this workstation (Settings → Printers).</source>
        <translation>Nie ma jeszcze paragonu. To stanowisko nie ma ustawionej drukarki fiskalnej (Ustawienia → Drukarki).</translation>
    </message>
    <message>
        <source>No receipt yet. Fiscal printer: %1</source>
        <translation>Nie ma jeszcze paragonu. Drukarka fiskalna: %1</translation>
    </message>
    <message>
        <source>Receipt: %1</source>
        <translation>Paragon: %1</translation>
    </message>
    <message>
        <source>no. %1</source>
        <translation>nr %1</translation>
    </message>
    <message>
        <source>No label yet.</source>
        <translation>Nie ma jeszcze etykiety.</translation>
    </message>
    <message>
        <source>Label: %1 · tracking number %2</source>
        <translation>Etykieta: %1 · numer przesyłki %2</translation>
    </message>
    <message>
        <source>No fiscal printer is set for this workstation (Settings → Printers).</source>
        <translation>To stanowisko nie ma ustawionej drukarki fiskalnej (Ustawienia → Drukarki).</translation>
    </message>
    <message>
        <source>Receipt %1.</source>
        <translation>Paragon: %1.</translation>
    </message>
    <message>
        <source>Recorded: the receipt was printed.</source>
        <translation>Zapisano: paragon został wydrukowany.</translation>
    </message>
    <message>
        <source>Recorded: the receipt was not printed; it can be issued again.</source>
        <translation>Zapisano: paragon nie został wydrukowany; można go wystawić ponownie.</translation>
    </message>
    <message>
        <source>label</source>
        <translation>etykieta</translation>
    </message>
    <message>
        <source>The order has this courier's label already: %1.</source>
        <translation>Zamówienie ma już etykietę tego kuriera: %1.</translation>
    </message>
    <message>
        <source>Label made: %1 %2.</source>
        <translation>Utworzono etykietę: %1 %2.</translation>
    </message>
    <message>
        <source>No label printer is set for this workstation (Settings → Printers).</source>
        <translation>To stanowisko nie ma ustawionej drukarki etykiet (Ustawienia → Drukarki).</translation>
    </message>
    <message>
        <source>The order has no label to print yet.</source>
        <translation>Zamówienie nie ma jeszcze etykiety do wydruku.</translation>
    </message>
    <message>
        <source>This label was printed before; a reprint needs a reason.</source>
        <translation>Ta etykieta była już drukowana; ponowny wydruk wymaga podania powodu.</translation>
    </message>
    <message>
        <source>This label was never printed; print it first.</source>
        <translation>Ta etykieta nie była jeszcze drukowana; najpierw ją wydrukuj.</translation>
    </message>
    <message>
        <source>Print job %1: %2.</source>
        <translation>Zadanie wydruku %1: %2.</translation>
    </message>
</context>
<context>
    <name>sd::ui::OrderEditor</name>
    <message>
        <source>Edit order %1</source>
        <translation>Edycja zamówienia %1</translation>
    </message>
    <message>
        <source>New order</source>
        <translation>Nowe zamówienie</translation>
    </message>
    <message>
        <source>Buyer</source>
        <translation>Kupujący</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>Imię</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>Nazwisko</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>NIP</source>
        <translation>NIP</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Login</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Dostawa</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Sposób</translation>
    </message>
    <message>
        <source>Street and number</source>
        <translation>Ulica i numer</translation>
    </message>
    <message>
        <source>Post code</source>
        <translation>Kod pocztowy</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Miejscowość</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Kraj</translation>
    </message>
    <message>
        <source>Delivery cost (PLN)</source>
        <translation>Koszt dostawy (PLN)</translation>
    </message>
    <message>
        <source>Bank transfer</source>
        <translation>Przelew bankowy</translation>
    </message>
    <message>
        <source>Cash on delivery</source>
        <translation>Za pobraniem</translation>
    </message>
    <message>
        <source>Online payment</source>
        <translation>Płatność online</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Gotówka</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>Płatność</translation>
    </message>
    <message>
        <source>Paid in full</source>
        <translation>Opłacone w całości</translation>
    </message>
    <message>
        <source>Wants an invoice</source>
        <translation>Chce fakturę</translation>
    </message>
    <message>
        <source>Invoice company</source>
        <translation>Firma na fakturze</translation>
    </message>
    <message>
        <source>Invoice NIP</source>
        <translation>NIP na fakturze</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Pozycje</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>EAN</source>
        <translation>EAN</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <source>Unit price (PLN)</source>
        <translation>Cena jedn. (PLN)</translation>
    </message>
    <message>
        <source>VAT</source>
        <translation>VAT</translation>
    </message>
    <message>
        <source>Add item</source>
        <translation>Dodaj pozycję</translation>
    </message>
    <message>
        <source>Remove item</source>
        <translation>Usuń pozycję</translation>
    </message>
    <message>
        <source>Notes for the team (not shown to the buyer)</source>
        <translation>Notatki dla zespołu (kupujący ich nie widzi)</translation>
    </message>
    <message>
        <source>Item %1: %2</source>
        <translation>Pozycja %1: %2</translation>
    </message>
    <message>
        <source>Some fields need attention; nothing was saved yet.</source>
        <translation>Niektóre pola wymagają poprawy; jeszcze nic nie zapisano.</translation>
    </message>
    <message>
        <source>edited by hand</source>
        <translation>edytowane ręcznie</translation>
    </message>
    <message>
        <source>manual order</source>
        <translation>zamówienie ręczne</translation>
    </message>
    <message>
        <source>The order could not be saved: %1</source>
        <translation>Nie udało się zapisać zamówienia: %1</translation>
    </message>
    <message>
        <source>Referrers</source>
        <translation>Źródła wejścia</translation>
    </message>
    <message>
        <source>e.g. phone, fair (comma-separated)</source>
        <translation>np. telefon, targi (oddzielone przecinkami)</translation>
    </message>
    <message>
        <source>At most %1 referrers, separated by commas; this order has %2.</source>
        <translation>Najwyżej %1 źródeł wejścia, oddzielonych przecinkami; to zamówienie ma %2.</translation>
    </message>
    <message>
        <source>Calculate by the shipping formula</source>
        <translation>Oblicz według formuły kosztu wysyłki</translation>
    </message>
    <message>
        <source>Company purchase</source>
        <translation>Zakup firmowy</translation>
    </message>
</context>
<context>
    <name>sd::ui::OrderListModel</name>
    <message>
        <source>Paid</source>
        <translation>Opłacone</translation>
    </message>
    <message>
        <source>Unpaid</source>
        <translation>Nieopłacone</translation>
    </message>
    <message>
        <source>COD</source>
        <translation>Pobranie</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>Nr</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Data</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanał</translation>
    </message>
    <message>
        <source>Buyer</source>
        <translation>Kupujący</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Pozycje</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Razem</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>Płatność</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Dostawa</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Partly paid</source>
        <translation>Opłacone częściowo</translation>
    </message>
    <message>
        <source>Overpaid</source>
        <translation>Nadpłacone</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Zwrócone</translation>
    </message>
    <message>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message>
        <source>Profit</source>
        <translation>Zysk</translation>
    </message>
</context>
<context>
    <name>sd::ui::OrderView</name>
    <message>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Kto</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Co</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Zmiana</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Szczegóły</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historia</translation>
    </message>
    <message>
        <source>No order selected</source>
        <translation>Nie wybrano zamówienia</translation>
    </message>
    <message>
        <source>Choose an order in the list to see it here.</source>
        <translation>Wybierz zamówienie z listy, aby je tu zobaczyć.</translation>
    </message>
    <message>
        <source>Order %1</source>
        <translation>Zamówienie %1</translation>
    </message>
    <message>
        <source>Order %1 · %2</source>
        <translation>Zamówienie %1 · %2</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanał</translation>
    </message>
    <message>
        <source>Marketplace number</source>
        <translation>Numer w serwisie</translation>
    </message>
    <message>
        <source>Bought</source>
        <translation>Kupiono</translation>
    </message>
    <message>
        <source>Buyer</source>
        <translation>Kupujący</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Login</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>NIP</source>
        <translation>NIP</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Dostawa</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Sposób</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Koszt</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adres</translation>
    </message>
    <message>
        <source>Pick-up point</source>
        <translation>Punkt odbioru</translation>
    </message>
    <message>
        <source>Payment</source>
        <translation>Płatność</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Opłacone</translation>
    </message>
    <message>
        <source>Partly paid</source>
        <translation>Opłacone częściowo</translation>
    </message>
    <message>
        <source>Overpaid</source>
        <translation>Nadpłacone</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Zwrócone</translation>
    </message>
    <message>
        <source>Unpaid</source>
        <translation>Nieopłacone</translation>
    </message>
    <message>
        <source>Cash on delivery</source>
        <translation>Za pobraniem</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Paid at</source>
        <translation>Data wpłaty</translation>
    </message>
    <message>
        <source>Invoice</source>
        <translation>Faktura</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>Pozycje</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>SKU / EAN</source>
        <translation>SKU / EAN</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Cena</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wartość</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Razem</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notatki</translation>
    </message>
    <message>
        <source>Buyer's comment</source>
        <translation>Komentarz kupującego</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tagi</translation>
    </message>
    <message>
        <source>Referrers</source>
        <translation>Źródła wejścia</translation>
    </message>
    <message>
        <source>Online payment</source>
        <translation>Płatność online</translation>
    </message>
    <message>
        <source>Bank transfer</source>
        <translation>Przelew bankowy</translation>
    </message>
    <message>
        <source>Split payment</source>
        <translation>Płatność podzielona</translation>
    </message>
    <message>
        <source>Deferred payment</source>
        <translation>Płatność odroczona</translation>
    </message>
    <message>
        <source>Manual order</source>
        <translation>Zamówienie ręczne</translation>
    </message>
    <message>
        <source>first name</source>
        <translation>imię</translation>
    </message>
    <message>
        <source>last name</source>
        <translation>nazwisko</translation>
    </message>
    <message>
        <source>company</source>
        <translation>firma</translation>
    </message>
    <message>
        <source>street</source>
        <translation>ulica</translation>
    </message>
    <message>
        <source>city</source>
        <translation>miejscowość</translation>
    </message>
    <message>
        <source>post code</source>
        <translation>kod pocztowy</translation>
    </message>
    <message>
        <source>country</source>
        <translation>kraj</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>telefon</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Zamówienie</translation>
    </message>
    <message>
        <source>Marketplace</source>
        <translation>Serwis</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <source>Marketplace revision</source>
        <translation>Wersja w serwisie</translation>
    </message>
    <message>
        <source>Marketplace state</source>
        <translation>Stan w serwisie</translation>
    </message>
    <message>
        <source>Fulfilment state on the marketplace</source>
        <translation>Stan realizacji w serwisie</translation>
    </message>
    <message>
        <source>Buyer's marketplace id</source>
        <translation>Identyfikator kupującego w serwisie</translation>
    </message>
    <message>
        <source>Buyer's login</source>
        <translation>Login kupującego</translation>
    </message>
    <message>
        <source>Buyer's e-mail</source>
        <translation>E-mail kupującego</translation>
    </message>
    <message>
        <source>Buyer's first name</source>
        <translation>Imię kupującego</translation>
    </message>
    <message>
        <source>Buyer's last name</source>
        <translation>Nazwisko kupującego</translation>
    </message>
    <message>
        <source>Buyer's company</source>
        <translation>Firma kupującego</translation>
    </message>
    <message>
        <source>Buyer's NIP</source>
        <translation>NIP kupującego</translation>
    </message>
    <message>
        <source>Buyer's phone</source>
        <translation>Telefon kupującego</translation>
    </message>
    <message>
        <source>Bought as a guest</source>
        <translation>Zakup jako gość</translation>
    </message>
    <message>
        <source>Buyer's language</source>
        <translation>Język kupującego</translation>
    </message>
    <message>
        <source>Delivery method id</source>
        <translation>Identyfikator sposobu dostawy</translation>
    </message>
    <message>
        <source>Delivery method</source>
        <translation>Sposób dostawy</translation>
    </message>
    <message>
        <source>Pick-up point name</source>
        <translation>Nazwa punktu odbioru</translation>
    </message>
    <message>
        <source>Pick-up point description</source>
        <translation>Opis punktu odbioru</translation>
    </message>
    <message>
        <source>Delivery cost</source>
        <translation>Koszt dostawy</translation>
    </message>
    <message>
        <source>Payment method</source>
        <translation>Sposób płatności</translation>
    </message>
    <message>
        <source>Payment provider</source>
        <translation>Operator płatności</translation>
    </message>
    <message>
        <source>Payment id</source>
        <translation>Identyfikator płatności</translation>
    </message>
    <message>
        <source>Payment status</source>
        <translation>Stan płatności</translation>
    </message>
    <message>
        <source>Amount paid</source>
        <translation>Kwota wpłacona</translation>
    </message>
    <message>
        <source>Invoice wanted</source>
        <translation>Chce fakturę</translation>
    </message>
    <message>
        <source>Invoice company</source>
        <translation>Firma na fakturze</translation>
    </message>
    <message>
        <source>Invoice NIP</source>
        <translation>NIP na fakturze</translation>
    </message>
    <message>
        <source>VAT payer status</source>
        <translation>Status podatnika VAT</translation>
    </message>
    <message>
        <source>Number of items</source>
        <translation>Liczba pozycji</translation>
    </message>
    <message>
        <source>Number of surcharges and discounts</source>
        <translation>Liczba dopłat i rabatów</translation>
    </message>
    <message>
        <source>Buyer's message</source>
        <translation>Wiadomość kupującego</translation>
    </message>
    <message>
        <source>Bought at</source>
        <translation>Data zakupu</translation>
    </message>
    <message>
        <source>Updated on the marketplace</source>
        <translation>Zmieniono w serwisie</translation>
    </message>
    <message>
        <source>Pick-up point address: %1</source>
        <translation>Adres punktu odbioru: %1</translation>
    </message>
    <message>
        <source>Delivery address: %1</source>
        <translation>Adres dostawy: %1</translation>
    </message>
    <message>
        <source>Invoice address: %1</source>
        <translation>Adres na fakturze: %1</translation>
    </message>
    <message>
        <source>marketplace id</source>
        <translation>identyfikator w serwisie</translation>
    </message>
    <message>
        <source>offer</source>
        <translation>oferta</translation>
    </message>
    <message>
        <source>name</source>
        <translation>nazwa</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>EAN</source>
        <translation>EAN</translation>
    </message>
    <message>
        <source>quantity</source>
        <translation>ilość</translation>
    </message>
    <message>
        <source>price</source>
        <translation>cena</translation>
    </message>
    <message>
        <source>price before discount</source>
        <translation>cena przed rabatem</translation>
    </message>
    <message>
        <source>VAT rate</source>
        <translation>stawka VAT</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>rodzaj</translation>
    </message>
    <message>
        <source>description</source>
        <translation>opis</translation>
    </message>
    <message>
        <source>amount</source>
        <translation>kwota</translation>
    </message>
    <message>
        <source>Item %1: %2</source>
        <translation>Pozycja %1: %2</translation>
    </message>
    <message>
        <source>Surcharge or discount %1: %2</source>
        <translation>Dopłata lub rabat %1: %2</translation>
    </message>
    <message>
        <source>Source and referrers</source>
        <translation>Pochodzenie i źródła wejścia</translation>
    </message>
    <message>
        <source>Offers</source>
        <translation>Oferty</translation>
    </message>
    <message>
        <source>none noted</source>
        <translation>nie zapisano żadnych</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Dokumenty</translation>
    </message>
    <message>
        <source>No documents yet (invoices, receipts and corrections appear here).</source>
        <translation>Nie ma jeszcze dokumentów (tu pojawią się faktury, paragony i korekty).</translation>
    </message>
    <message>
        <source>Shipments</source>
        <translation>Przesyłki</translation>
    </message>
    <message>
        <source>No shipments yet (parcels, labels and tracking numbers appear here).</source>
        <translation>Nie ma jeszcze przesyłek (tu pojawią się paczki, etykiety i numery śledzenia).</translation>
    </message>
    <message>
        <source>Automation</source>
        <translation>Automatyzacja</translation>
    </message>
    <message>
        <source>Carrier</source>
        <translation>Przewoźnik</translation>
    </message>
    <message>
        <source>Tracking number</source>
        <translation>Numer przesyłki</translation>
    </message>
    <message>
        <source>Tracking status</source>
        <translation>Status śledzenia</translation>
    </message>
    <message>
        <source>not reported yet</source>
        <translation>jeszcze bez informacji</translation>
    </message>
    <message>
        <source>on hand / reserved / available</source>
        <translation>na stanie / zarezerwowane / dostępne</translation>
    </message>
    <message>
        <source>Stock</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>On hand %1, reserved %2, available %3</source>
        <translation>Na stanie %1, zarezerwowane %2, dostępne %3</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Gotówka</translation>
    </message>
    <message>
        <source>Company purchase</source>
        <translation>Zakup firmowy</translation>
    </message>
    <message>
        <source>Receipt and label</source>
        <translation>Paragon i etykieta</translation>
    </message>
    <message>
        <source>SMS to %1 (%2)</source>
        <translation>SMS do %1 (%2)</translation>
    </message>
    <message>
        <source>E-mail to %1 (%2)</source>
        <translation>E-mail do %1 (%2)</translation>
    </message>
    <message>
        <source>messaging</source>
        <translation>wiadomości</translation>
    </message>
    <message>
        <source>Buyer in a discussion</source>
        <translation>Kupujący w dyskusji</translation>
    </message>
    <message>
        <source>Message from the buyer</source>
        <translation>Wiadomość od kupującego</translation>
    </message>
    <message>
        <source>Your reply on the marketplace</source>
        <translation>Twoja odpowiedź na platformie</translation>
    </message>
    <message>
        <source>Return %1</source>
        <translation>Zwrot %1</translation>
    </message>
</context>
<context>
    <name>sd::ui::OrderWindow</name>
    <message>
        <source>◀ Previous</source>
        <translation>◀ Poprzednie</translation>
    </message>
    <message>
        <source>Previous order (Ctrl+PgUp)</source>
        <translation>Poprzednie zamówienie (Ctrl+PgUp)</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>Następne ▶</translation>
    </message>
    <message>
        <source>Next order (Ctrl+PgDown)</source>
        <translation>Następne zamówienie (Ctrl+PgDown)</translation>
    </message>
    <message>
        <source>Next order</source>
        <translation>Następne zamówienie</translation>
    </message>
    <message>
        <source>Previous order</source>
        <translation>Poprzednie zamówienie</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zamknij</translation>
    </message>
    <message>
        <source>Order %1 — SellerDesk</source>
        <translation>Zamówienie %1 — SellerDesk</translation>
    </message>
</context>
<context>
    <name>sd::ui::PackingStation</name>
    <message>
        <source>Packing station</source>
        <translation>Stanowisko pakowania</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Kod</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Lokalizacja</translation>
    </message>
    <message>
        <source>Packed</source>
        <translation>Spakowano</translation>
    </message>
    <message>
        <source>Serial numbers</source>
        <translation>Numery seryjne</translation>
    </message>
    <message>
        <source>Scan, or type a code and press Enter</source>
        <translation>Zeskanuj albo wpisz kod i naciśnij Enter</translation>
    </message>
    <message>
        <source>Scan an order, its tracking number or its courier label.</source>
        <translation>Zeskanuj zamówienie, jego numer przesyłki albo etykietę kuriera.</translation>
    </message>
    <message>
        <source>Waiting for an order</source>
        <translation>Czekam na zamówienie</translation>
    </message>
    <message>
        <source>Packing: %1 of %2</source>
        <translation>Pakowanie: %1 z %2</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Odrzucono</translation>
    </message>
    <message>
        <source>Order %1 · %2 · %3 · %4</source>
        <translation>Zamówienie %1 · %2 · %3 · %4</translation>
    </message>
    <message>
        <source>F5 pause · F8 missing item · F9 sounds %1 · Esc leave</source>
        <translation>F5 wstrzymaj · F8 brak towaru · F9 dźwięki %1 · Esc wyjdź</translation>
    </message>
    <message>
        <source>on</source>
        <translation>wł.</translation>
    </message>
    <message>
        <source>off</source>
        <translation>wył.</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>required</source>
        <translation>wymagane</translation>
    </message>
    <message>
        <source>Order %1 was packed before.</source>
        <translation>Zamówienie %1 zostało już wcześniej spakowane.</translation>
    </message>
    <message>
        <source>Resumed (found by %1): scan the next item.</source>
        <translation>Wznowiono (znalezione po: %1): zeskanuj następny towar.</translation>
    </message>
    <message>
        <source>Found by %1: scan the items.</source>
        <translation>Znalezione po: %1. Skanuj towary.</translation>
    </message>
    <message>
        <source>That is order %1. Finish this one, or pause it with F5 first.</source>
        <translation>To zamówienie %1. Najpierw dokończ bieżące albo wstrzymaj je klawiszem F5.</translation>
    </message>
    <message>
        <source>Order %1 is packed. The label and the rest follow by themselves; scan the next order.</source>
        <translation>Zamówienie %1 jest spakowane. Etykieta i reszta zrobią się same; zeskanuj następne zamówienie.</translation>
    </message>
    <message>
        <source>Scan an order before a command barcode.</source>
        <translation>Przed kodem polecenia zeskanuj zamówienie.</translation>
    </message>
    <message>
        <source>Rule started for order %1.</source>
        <translation>Uruchomiono regułę dla zamówienia %1.</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%2): %n in stock. Scan an order first.</source>
        <translation>
            <numerusform>%1 (%2): na stanie %n sztuka. Najpierw zeskanuj zamówienie.</numerusform>
            <numerusform>%1 (%2): na stanie %n sztuki. Najpierw zeskanuj zamówienie.</numerusform>
            <numerusform>%1 (%2): na stanie %n sztuk. Najpierw zeskanuj zamówienie.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing is known by the code %1.</source>
        <translation>Nic nie ma kodu %1.</translation>
    </message>
    <message>
        <source>Order %1 is paused; scan it again to go on.</source>
        <translation>Zamówienie %1 jest wstrzymane; zeskanuj je ponownie, aby kontynuować.</translation>
    </message>
    <message>
        <source>Order %1 is set aside as "%2" for the missing items.</source>
        <translation>Zamówienie %1 odłożono ze statusem „%2” z powodu braków.</translation>
    </message>
    <message>
        <source>Missing item</source>
        <translation>Brak towaru</translation>
    </message>
    <message>
        <source>Move the order to:</source>
        <translation>Przenieś zamówienie do:</translation>
    </message>
</context>
<context>
    <name>sd::ui::PickListDialog</name>
    <message>
        <source>Pick list</source>
        <translation>Lista kompletacyjna</translation>
    </message>
    <message numerus="yes">
        <source>The %n chosen order(s)</source>
        <translation>
            <numerusform>%n wybrane zamówienie</numerusform>
            <numerusform>%n wybrane zamówienia</numerusform>
            <numerusform>%n wybranych zamówień</numerusform>
        </translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation>Status: %1</translation>
    </message>
    <message>
        <source>&amp;Orders:</source>
        <translation>&amp;Zamówienia:</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Lokalizacja</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>EAN</source>
        <translation>EAN</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Sztuki</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Zamówienia</translation>
    </message>
    <message>
        <source>Save as PDF…</source>
        <translation>Zapisz jako PDF…</translation>
    </message>
    <message numerus="yes">
        <source>%n product(s), %1 unit(s) to pick.</source>
        <translation>
            <numerusform>%n produkt, sztuk do pobrania: %1.</numerusform>
            <numerusform>%n produkty, sztuk do pobrania: %1.</numerusform>
            <numerusform>%n produktów, sztuk do pobrania: %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Save the pick list</source>
        <translation>Zapisz listę kompletacyjną</translation>
    </message>
    <message>
        <source>pick-list.pdf</source>
        <translation>lista-kompletacyjna.pdf</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Pick list: %1</source>
        <translation>Lista kompletacyjna: %1</translation>
    </message>
    <message>
        <source>The file %1 could not be written: %2</source>
        <translation>Nie udało się zapisać pliku %1: %2</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>Zapisano w %1.</translation>
    </message>
</context>
<context>
    <name>sd::ui::PrintQueueDialog</name>
    <message>
        <source>Print queue</source>
        <translation>Kolejka wydruków</translation>
    </message>
    <message>
        <source>&amp;State:</source>
        <translation>&amp;Stan:</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Wszystkie</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Odśwież</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Zadanie</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Utworzono</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Rodzaj</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Co</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Drukarka</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Tries</source>
        <translation>Próby</translation>
    </message>
    <message>
        <source>Reprint of / reason</source>
        <translation>Ponowny wydruk / powód</translation>
    </message>
    <message>
        <source>Re&amp;print…</source>
        <translation>&amp;Drukuj ponownie…</translation>
    </message>
    <message>
        <source>Re&amp;try now</source>
        <translation>&amp;Ponów teraz</translation>
    </message>
    <message>
        <source>Reprint job %1</source>
        <translation>Ponowny wydruk zadania %1</translation>
    </message>
    <message>
        <source>Why is it printed again? (e.g. the label was torn, the printer jammed)</source>
        <translation>Dlaczego drukujesz ponownie? (np. etykieta się podarła, drukarka się zacięła)</translation>
    </message>
    <message>
        <source>reprint of %1: %2</source>
        <translation>ponowny wydruk %1: %2</translation>
    </message>
    <message>
        <source>A reprint needs a reason, so that the queue says why the document was printed twice.</source>
        <translation>Ponowny wydruk wymaga powodu, aby kolejka pokazywała, dlaczego dokument wydrukowano dwa razy.</translation>
    </message>
    <message>
        <source>Reprint: job %1, %2.</source>
        <translation>Ponowny wydruk: zadanie %1, %2.</translation>
    </message>
    <message>
        <source>Job %1: %2.</source>
        <translation>Zadanie %1: %2.</translation>
    </message>
</context>
<context>
    <name>sd::ui::PrintersDialog</name>
    <message>
        <source>None</source>
        <translation>Brak</translation>
    </message>
    <message>
        <source>Network (TCP host:port)</source>
        <translation>Sieć (TCP host:port)</translation>
    </message>
    <message>
        <source>Serial or USB port</source>
        <translation>Port szeregowy lub USB</translation>
    </message>
    <message>
        <source>CUPS queue</source>
        <translation>Kolejka CUPS</translation>
    </message>
    <message>
        <source>ZPL printer over TCP (host:port)</source>
        <translation>Drukarka ZPL przez TCP (host:port)</translation>
    </message>
    <message>
        <source>PDF file</source>
        <translation>Plik PDF</translation>
    </message>
    <message>
        <source>Printers of this workstation (%1)</source>
        <translation>Drukarki tego stanowiska (%1)</translation>
    </message>
    <message>
        <source>Where this computer prints. Each workstation keeps its own choice; test pages go through the print queue like every other print.</source>
        <translation>Gdzie drukuje ten komputer. Każde stanowisko ma własne ustawienia; strony testowe przechodzą przez kolejkę wydruków jak każdy inny wydruk.</translation>
    </message>
    <message>
        <source>&amp;Connection:</source>
        <translation>&amp;Połączenie:</translation>
    </message>
    <message>
        <source>&amp;Where:</source>
        <translation>&amp;Adres:</translation>
    </message>
    <message>
        <source>Posnet (Thermal, Temo, Trio, Vero, Evo)</source>
        <translation>Posnet (Thermal, Temo, Trio, Vero, Evo)</translation>
    </message>
    <message>
        <source>Novitus XML (Deon, Bono, HD II, POINT)</source>
        <translation>Novitus XML (Deon, Bono, HD II, POINT)</translation>
    </message>
    <message>
        <source>P&amp;rotocol:</source>
        <translation>P&amp;rotokół:</translation>
    </message>
    <message>
        <source>Check the printer</source>
        <translation>Sprawdź drukarkę</translation>
    </message>
    <message>
        <source>Print test page</source>
        <translation>Drukuj stronę testową</translation>
    </message>
    <message>
        <source>queue name, e.g. Zebra_GK420d</source>
        <translation>nazwa kolejki, np. Zebra_GK420d</translation>
    </message>
    <message>
        <source>e.g. 192.168.1.50:6666</source>
        <translation>np. 192.168.1.50:6666</translation>
    </message>
    <message>
        <source>e.g. 192.168.1.60:9100</source>
        <translation>np. 192.168.1.60:9100</translation>
    </message>
    <message>
        <source>e.g. /home/anna/labels/label.pdf</source>
        <translation>np. /home/anna/etykiety/etykieta.pdf</translation>
    </message>
    <message>
        <source>e.g. /dev/ttyACM0</source>
        <translation>np. /dev/ttyACM0</translation>
    </message>
    <message>
        <source>Saved for this workstation.</source>
        <translation>Zapisano dla tego stanowiska.</translation>
    </message>
    <message>
        <source>%1 VAT rates: %2.</source>
        <translation>%1 Stawki VAT: %2.</translation>
    </message>
    <message>
        <source>Test page: print job %1, %2.</source>
        <translation>Strona testowa: zadanie wydruku %1, %2.</translation>
    </message>
</context>
<context>
    <name>sd::ui::RegisterReturnDialog</name>
    <message>
        <source>Register return of order %1</source>
        <translation>Rejestracja zwrotu zamówienia %1</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Bought</source>
        <translation>Kupiono</translation>
    </message>
    <message>
        <source>Returned</source>
        <translation>Zwracane</translation>
    </message>
    <message>
        <source>e.g. withdrawal from the contract, damaged, wrong size</source>
        <translation>np. odstąpienie od umowy, uszkodzenie, zły rozmiar</translation>
    </message>
    <message>
        <source>&amp;Reason:</source>
        <translation>&amp;Powód:</translation>
    </message>
    <message>
        <source>only for a return after the legal term</source>
        <translation>tylko dla zwrotu po ustawowym terminie</translation>
    </message>
    <message>
        <source>&amp;Late, accepted because:</source>
        <translation>Po &amp;terminie, przyjęty, bo:</translation>
    </message>
    <message>
        <source>Add &amp;photo or file…</source>
        <translation>Dodaj &amp;zdjęcie lub plik…</translation>
    </message>
    <message>
        <source>Photos and files of the return</source>
        <translation>Zdjęcia i pliki zwrotu</translation>
    </message>
    <message>
        <source>Attachments:</source>
        <translation>Załączniki:</translation>
    </message>
    <message>
        <source>Register return</source>
        <translation>Zarejestruj zwrot</translation>
    </message>
    <message>
        <source>Returned units of %1</source>
        <translation>Zwracane sztuki: %1</translation>
    </message>
    <message>
        <source>The return term ended on %1: say why the return is accepted anyway.</source>
        <translation>Termin zwrotu minął %1: podaj, dlaczego zwrot jest mimo to przyjmowany.</translation>
    </message>
    <message>
        <source>Returns are in time until %1.</source>
        <translation>Zwroty są w terminie do %1.</translation>
    </message>
</context>
<context>
    <name>sd::ui::ReportsPage</name>
    <message>
        <source>Sales and profit reports</source>
        <translation>Raporty sprzedaży i zysku</translation>
    </message>
    <message>
        <source>Per day</source>
        <translation>Dziennie</translation>
    </message>
    <message>
        <source>Per week</source>
        <translation>Tygodniowo</translation>
    </message>
    <message>
        <source>Per month</source>
        <translation>Miesięcznie</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>&amp;Pokaż</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>Eksport &amp;CSV…</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>Eksport raportu</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Pliki CSV (*.csv)</translation>
    </message>
    <message>
        <source>&amp;From</source>
        <translation>&amp;Od</translation>
    </message>
    <message>
        <source>&amp;To</source>
        <translation>&amp;Do</translation>
    </message>
    <message>
        <source>Sales and profit</source>
        <translation>Sprzedaż i zysk</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Kanały</translation>
    </message>
    <message>
        <source>Products</source>
        <translation>Produkty</translation>
    </message>
    <message>
        <source>Statuses</source>
        <translation>Statusy</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Okres</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Kanał</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Sztuki</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Zamówienia</translation>
    </message>
    <message>
        <source>Sales (gross)</source>
        <translation>Sprzedaż (brutto)</translation>
    </message>
    <message>
        <source>Sales (net)</source>
        <translation>Sprzedaż (netto)</translation>
    </message>
    <message>
        <source>Profit</source>
        <translation>Zysk</translation>
    </message>
    <message numerus="yes">
        <source>%n order(s): sales %1 gross, %2 net, profit %3.</source>
        <translation>
            <numerusform>%n zamówienie: sprzedaż %1 brutto, %2 netto, zysk %3.</numerusform>
            <numerusform>%n zamówienia: sprzedaż %1 brutto, %2 netto, zysk %3.</numerusform>
            <numerusform>%n zamówień: sprzedaż %1 brutto, %2 netto, zysk %3.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) in other currencies are not included.</source>
        <translation>
            <numerusform>Nie uwzględniono %n zamówienia w innej walucie.</numerusform>
            <numerusform>Nie uwzględniono %n zamówień w innych walutach.</numerusform>
            <numerusform>Nie uwzględniono %n zamówień w innych walutach.</numerusform>
        </translation>
    </message>
    <message>
        <source>The report could not be saved to %1: %2</source>
        <translation>Nie udało się zapisać raportu do %1: %2</translation>
    </message>
    <message>
        <source>Saved %1.</source>
        <translation>Zapisano %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n order(s): sales %1 gross, %2 net.</source>
        <translation>
            <numerusform>%n zamówienie: sprzedaż %1 brutto, %2 netto.</numerusform>
            <numerusform>%n zamówienia: sprzedaż %1 brutto, %2 netto.</numerusform>
            <numerusform>%n zamówień: sprzedaż %1 brutto, %2 netto.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sd::ui::ReturnsPage</name>
    <message>
        <source>Returns</source>
        <translation>Zwroty</translation>
    </message>
    <message>
        <source>Open returns</source>
        <translation>Otwarte zwroty</translation>
    </message>
    <message>
        <source>All returns</source>
        <translation>Wszystkie zwroty</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>&amp;Pokaż:</translation>
    </message>
    <message>
        <source>&amp;Register return…</source>
        <translation>&amp;Zarejestruj zwrot…</translation>
    </message>
    <message>
        <source>&amp;Download Allegro returns</source>
        <translation>&amp;Pobierz zwroty z Allegro</translation>
    </message>
    <message>
        <source>Allegro's customer returns of every connected account become returns here, each once.</source>
        <translation>Zwroty klientów z Allegro ze wszystkich połączonych kont trafiają tutaj jako zwroty, każdy jeden raz.</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>Numer</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Zamówienie</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Sztuki</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wartość</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>Zarejestrowano</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Powód</translation>
    </message>
    <message>
        <source>SKU</source>
        <translation>SKU</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Ilość</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>Cena</translation>
    </message>
    <message>
        <source>Items:</source>
        <translation>Produkty:</translation>
    </message>
    <message>
        <source>Add &amp;photo…</source>
        <translation>Dodaj &amp;zdjęcie…</translation>
    </message>
    <message>
        <source>&amp;Save as…</source>
        <translation>Zapi&amp;sz jako…</translation>
    </message>
    <message>
        <source>Attachments:</source>
        <translation>Załączniki:</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Kto</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Krok</translation>
    </message>
    <message>
        <source>Timeline:</source>
        <translation>Przebieg:</translation>
    </message>
    <message>
        <source>Next step</source>
        <translation>Następny krok</translation>
    </message>
    <message>
        <source>&amp;Warehouse:</source>
        <translation>&amp;Magazyn:</translation>
    </message>
    <message>
        <source>Refund through &amp;Allegro</source>
        <translation>Zwrot pieniędzy przez &amp;Allegro</translation>
    </message>
    <message>
        <source>&amp;Correction invoice</source>
        <translation>&amp;Faktura korygująca</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zamknij</translation>
    </message>
    <message>
        <source>returns</source>
        <translation>zwroty</translation>
    </message>
    <message>
        <source>Returns of order %1</source>
        <translation>Zwroty zamówienia %1</translation>
    </message>
    <message>
        <source>No return chosen</source>
        <translation>Nie wybrano zwrotu</translation>
    </message>
    <message>
        <source>Return %1 – order %2 – %3</source>
        <translation>Zwrot %1 – zamówienie %2 – %3</translation>
    </message>
    <message>
        <source>Reason: %1</source>
        <translation>Powód: %1</translation>
    </message>
    <message>
        <source>Accepted after the term: %1</source>
        <translation>Przyjęty po terminie: %1</translation>
    </message>
    <message>
        <source>Customer return on Allegro: %1</source>
        <translation>Zwrot klienta w Allegro: %1</translation>
    </message>
    <message>
        <source>Received into %1 %2</source>
        <translation>Przyjęto do magazynu %1 %2</translation>
    </message>
    <message>
        <source>Refunded by the seller</source>
        <translation>Pieniądze zwrócone przez sprzedawcę</translation>
    </message>
    <message>
        <source>Refund on Allegro: %1</source>
        <translation>Zwrot pieniędzy w Allegro: %1</translation>
    </message>
    <message>
        <source>Correction invoice: %1</source>
        <translation>Faktura korygująca: %1</translation>
    </message>
    <message>
        <source>%1 (%2 kB)</source>
        <translation>%1 (%2 kB)</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>Mark %1</source>
        <translation>Oznacz: %1</translation>
    </message>
    <message>
        <source>This return is closed.</source>
        <translation>Ten zwrot jest zamknięty.</translation>
    </message>
    <message>
        <source>Return %1 is %2 now.</source>
        <translation>Zwrot %1 ma teraz stan „%2”.</translation>
    </message>
    <message>
        <source>Return %1 registered.</source>
        <translation>Zarejestrowano zwrot %1.</translation>
    </message>
    <message>
        <source>The secret store with the marketplace tokens is not open; no return was downloaded.</source>
        <translation>Magazyn sekretów z tokenami serwisu nie jest otwarty; nie pobrano żadnego zwrotu.</translation>
    </message>
    <message numerus="yes">
        <source>%n new return(s) from Allegro.</source>
        <translation>
            <numerusform>%n nowy zwrot z Allegro.</numerusform>
            <numerusform>%n nowe zwroty z Allegro.</numerusform>
            <numerusform>%n nowych zwrotów z Allegro.</numerusform>
        </translation>
    </message>
    <message>
        <source>Photos and files of the return</source>
        <translation>Zdjęcia i pliki zwrotu</translation>
    </message>
    <message>
        <source>Save the attachment</source>
        <translation>Zapisz załącznik</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Nie można zapisać %1: %2</translation>
    </message>
    <message numerus="yes">
        <source>%1: %2, %n unit(s), %3</source>
        <translation>
            <numerusform>%1: %2, %n sztuka, %3</numerusform>
            <numerusform>%1: %2, %n sztuki, %3</numerusform>
            <numerusform>%1: %2, %n sztuk, %3</numerusform>
        </translation>
    </message>
    <message>
        <source>Register return…</source>
        <translation>Zarejestruj zwrot…</translation>
    </message>
    <message>
        <source>Returns of this order…</source>
        <translation>Zwroty tego zamówienia…</translation>
    </message>
</context>
<context>
    <name>sd::ui::RuleEditor</name>
    <message>
        <source>Rule %1 — %2</source>
        <translation>Reguła %1 — %2</translation>
    </message>
    <message>
        <source>New rule</source>
        <translation>Nowa reguła</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Niezapisane zmiany</translation>
    </message>
    <message>
        <source>The rule has changes that are not saved. Save them?</source>
        <translation>Reguła ma niezapisane zmiany. Zapisać je?</translation>
    </message>
    <message>
        <source>&amp;Enabled</source>
        <translation>&amp;Włączona</translation>
    </message>
    <message>
        <source>no limit</source>
        <translation>bez limitu</translation>
    </message>
    <message>
        <source>O&amp;wner:</source>
        <translation>&amp;Właściciel:</translation>
    </message>
    <message>
        <source>&amp;At most per order:</source>
        <translation>&amp;Najwyżej razy na zamówienie:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nazwa:</translation>
    </message>
    <message>
        <source>&amp;Group:</source>
        <translation>&amp;Grupa:</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>&amp;Opis:</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <source>%1 (arrives with a later feature)</source>
        <translation>%1 (pojawi się z późniejszą funkcją)</translation>
    </message>
    <message>
        <source>Type to search the events…</source>
        <translation>Wpisz, aby wyszukać zdarzenie…</translation>
    </message>
    <message>
        <source>&amp;Event:</source>
        <translation>&amp;Zdarzenie:</translation>
    </message>
    <message>
        <source>If</source>
        <translation>Jeżeli</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>Warunki</translation>
    </message>
    <message>
        <source>+ Condition</source>
        <translation>+ Warunek</translation>
    </message>
    <message>
        <source>+ AND</source>
        <translation>+ I (AND)</translation>
    </message>
    <message>
        <source>+ OR</source>
        <translation>+ LUB (OR)</translation>
    </message>
    <message>
        <source>+ NOT</source>
        <translation>+ NIE (NOT)</translation>
    </message>
    <message>
        <source>+ Line items</source>
        <translation>+ Pozycje</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>W górę</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>W dół</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>Then</source>
        <translation>Wtedy</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Akcje</translation>
    </message>
    <message>
        <source>%1 (not configured yet)</source>
        <translation>%1 (jeszcze nieskonfigurowana)</translation>
    </message>
    <message>
        <source>Action to add</source>
        <translation>Akcja do dodania</translation>
    </message>
    <message>
        <source>+ Action</source>
        <translation>+ Akcja</translation>
    </message>
    <message>
        <source>+ If it fails</source>
        <translation>+ Gdy się nie uda</translation>
    </message>
    <message>
        <source>&amp;Rule</source>
        <translation>&amp;Reguła</translation>
    </message>
    <message>
        <source>&amp;Test</source>
        <translation>&amp;Test</translation>
    </message>
    <message>
        <source>&amp;Versions</source>
        <translation>&amp;Wersje</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Cofnij</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Ponów</translation>
    </message>
    <message>
        <source>a NOT group needs exactly one condition inside (use an AND or OR group for more)</source>
        <translation>grupa NIE potrzebuje dokładnie jednego warunku w środku (dla większej liczby użyj grupy I lub LUB)</translation>
    </message>
    <message>
        <source>a line item group needs exactly one condition inside (use an AND or OR group for more)</source>
        <translation>grupa pozycji potrzebuje dokładnie jednego warunku w środku (dla większej liczby użyj grupy I lub LUB)</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Zmiana nazwy</translation>
    </message>
    <message>
        <source>Change the group</source>
        <translation>Zmiana grupy</translation>
    </message>
    <message>
        <source>Change the description</source>
        <translation>Zmiana opisu</translation>
    </message>
    <message>
        <source>Change the owner</source>
        <translation>Zmiana właściciela</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Włączenie</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Wyłączenie</translation>
    </message>
    <message>
        <source>Change the limit per order</source>
        <translation>Zmiana limitu na zamówienie</translation>
    </message>
    <message>
        <source>Choose the event</source>
        <translation>Wybór zdarzenia</translation>
    </message>
    <message>
        <source>Change the event</source>
        <translation>Zmiana zdarzenia</translation>
    </message>
    <message>
        <source>Add a condition</source>
        <translation>Dodanie warunku</translation>
    </message>
    <message>
        <source>Change a condition</source>
        <translation>Zmiana warunku</translation>
    </message>
    <message>
        <source>Remove a condition</source>
        <translation>Usunięcie warunku</translation>
    </message>
    <message>
        <source>Move a condition</source>
        <translation>Przesunięcie warunku</translation>
    </message>
    <message>
        <source>Add an action</source>
        <translation>Dodanie akcji</translation>
    </message>
    <message>
        <source>Change an action</source>
        <translation>Zmiana akcji</translation>
    </message>
    <message>
        <source>Change a delay</source>
        <translation>Zmiana opóźnienia</translation>
    </message>
    <message>
        <source>Change what a failure does</source>
        <translation>Zmiana zachowania po błędzie</translation>
    </message>
    <message>
        <source>Remove an action</source>
        <translation>Usunięcie akcji</translation>
    </message>
    <message>
        <source>Move an action</source>
        <translation>Przesunięcie akcji</translation>
    </message>
    <message>
        <source>This event is emitted once its feature is set up; the rule waits until then.</source>
        <translation>To zdarzenie pojawi się po skonfigurowaniu jego funkcji; do tego czasu reguła czeka.</translation>
    </message>
    <message>
        <source>if it fails: %1</source>
        <translation>gdy się nie uda: %1</translation>
    </message>
    <message>
        <source>All of these hold (AND)</source>
        <translation>Spełnione wszystkie (I)</translation>
    </message>
    <message>
        <source>Any of these holds (OR)</source>
        <translation>Spełniony którykolwiek (LUB)</translation>
    </message>
    <message>
        <source>Group kind</source>
        <translation>Rodzaj grupy</translation>
    </message>
    <message>
        <source>Group:</source>
        <translation>Grupa:</translation>
    </message>
    <message>
        <source>The condition inside must not hold.</source>
        <translation>Warunek w środku nie może być spełniony.</translation>
    </message>
    <message>
        <source>At least one line item</source>
        <translation>Co najmniej jedna pozycja</translation>
    </message>
    <message>
        <source>Every line item</source>
        <translation>Każda pozycja</translation>
    </message>
    <message>
        <source>No line item</source>
        <translation>Żadna pozycja</translation>
    </message>
    <message>
        <source>matches the condition inside.</source>
        <translation>spełnia warunek w środku.</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Pole</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Not configured yet: the trace says so until its feature is set up.</source>
        <translation>Jeszcze nieskonfigurowana: ślad będzie to pokazywał, dopóki jej funkcja nie zostanie ustawiona.</translation>
    </message>
    <message>
        <source>Delay</source>
        <translation>Opóźnienie</translation>
    </message>
    <message>
        <source>Delay:</source>
        <translation>Opóźnienie:</translation>
    </message>
    <message>
        <source>Stop the rule if this action fails</source>
        <translation>Zatrzymaj regułę, jeśli ta akcja się nie uda</translation>
    </message>
    <message>
        <source>The rule cannot be saved yet:</source>
        <translation>Reguły nie można jeszcze zapisać:</translation>
    </message>
    <message>
        <source>Change the scope</source>
        <translation>Zmiana zakresu</translation>
    </message>
</context>
<context>
    <name>sd::ui::RuleFormFactory</name>
    <message>
        <source>From</source>
        <translation>Od</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Do</translation>
    </message>
    <message>
        <source>and</source>
        <translation>i</translation>
    </message>
    <message>
        <source>Values</source>
        <translation>Wartości</translation>
    </message>
    <message>
        <source>values separated by commas</source>
        <translation>wartości oddzielone przecinkami</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wartość</translation>
    </message>
    <message>
        <source>(any)</source>
        <translation>(dowolny)</translation>
    </message>
    <message>
        <source>(choose a rule)</source>
        <translation>(wybierz regułę)</translation>
    </message>
    <message>
        <source>{…} Insert</source>
        <translation>{…} Wstaw</translation>
    </message>
    <message>
        <source>Insert a placeholder; the order's value replaces it when the action runs.</source>
        <translation>Wstaw pole; gdy akcja się wykona, zastąpi je wartość z zamówienia.</translation>
    </message>
    <message>
        <source>%1 — e.g. %2</source>
        <translation>%1 — np. %2</translation>
    </message>
</context>
<context>
    <name>sd::ui::RuleListModel</name>
    <message>
        <source>No group</source>
        <translation>Bez grupy</translation>
    </message>
    <message>
        <source>on</source>
        <translation>wł.</translation>
    </message>
    <message>
        <source>off</source>
        <translation>wył.</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nigdy</translation>
    </message>
    <message>
        <source>dead</source>
        <translation>martwa</translation>
    </message>
    <message>
        <source>conflict</source>
        <translation>konflikt</translation>
    </message>
    <message>
        <source>can loop</source>
        <translation>może się zapętlić</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Reguła</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Włączona</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <source>Last acted</source>
        <translation>Ostatnio zadziałała</translation>
    </message>
    <message>
        <source>30 days</source>
        <translation>30 dni</translation>
    </message>
    <message>
        <source>90 days</source>
        <translation>90 dni</translation>
    </message>
    <message>
        <source>Failures</source>
        <translation>Błędy</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Właściciel</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Ostrzeżenia</translation>
    </message>
    <message>
        <source>every account</source>
        <translation>każde konto</translation>
    </message>
    <message>
        <source>every courier</source>
        <translation>każdy przewoźnik</translation>
    </message>
    <message>
        <source>Acts on</source>
        <translation>Dotyczy</translation>
    </message>
</context>
<context>
    <name>sd::ui::RuleScopeEditor</name>
    <message>
        <source>Accounts the rule acts on</source>
        <translation>Konta, których dotyczy reguła</translation>
    </message>
    <message>
        <source>Couriers the rule acts on</source>
        <translation>Przewoźnicy, których dotyczy reguła</translation>
    </message>
    <message>
        <source>Another courier: type its name, Enter</source>
        <translation>Inny przewoźnik: wpisz nazwę i naciśnij Enter</translation>
    </message>
    <message>
        <source>Another courier</source>
        <translation>Inny przewoźnik</translation>
    </message>
    <message>
        <source>Sc&amp;ope:</source>
        <translation>Za&amp;kres:</translation>
    </message>
    <message>
        <source>every account</source>
        <translation>każde konto</translation>
    </message>
    <message>
        <source>accounts: %1</source>
        <translation>konta: %1</translation>
    </message>
    <message>
        <source>every courier</source>
        <translation>każdy przewoźnik</translation>
    </message>
    <message>
        <source>couriers: %1</source>
        <translation>przewoźnicy: %1</translation>
    </message>
    <message>
        <source>No marketplace account in this profile yet</source>
        <translation>W tym profilu nie ma jeszcze konta w serwisie sprzedażowym</translation>
    </message>
    <message>
        <source>%1 (not connected)</source>
        <translation>%1 (niepołączone)</translation>
    </message>
</context>
<context>
    <name>sd::ui::RuleTemplates</name>
    <message>
        <source>Paid → "To ship"</source>
        <translation>Opłacone → „Do wysyłki”</translation>
    </message>
    <message>
        <source>When the payment of an order arrives, the order moves to the "To ship" tab.</source>
        <translation>Gdy wpłynie płatność za zamówienie, trafia ono do zakładki „Do wysyłki”.</translation>
    </message>
    <message>
        <source>Cash on delivery → same tab as paid</source>
        <translation>Za pobraniem → ta sama zakładka co opłacone</translation>
    </message>
    <message>
        <source>A new cash-on-delivery order goes straight to "To ship", beside the paid ones.</source>
        <translation>Nowe zamówienie za pobraniem od razu trafia do „Do wysyłki”, obok opłaconych.</translation>
    </message>
    <message>
        <source>Wants an invoice with NIP → invoice in series B</source>
        <translation>Chce fakturę z NIP → faktura w serii B</translation>
    </message>
    <message>
        <source>A paid order whose buyer wants an invoice and gave a NIP gets an invoice in series B, sent by e-mail.</source>
        <translation>Opłacone zamówienie, którego kupujący chce fakturę i podał NIP, dostaje fakturę w serii B wysłaną e-mailem.</translation>
    </message>
    <message>
        <source>Wants an invoice without NIP → status</source>
        <translation>Chce fakturę bez NIP → status</translation>
    </message>
    <message>
        <source>An order that asks for an invoice but has no NIP waits in "New" with a tag, so someone checks the data.</source>
        <translation>Zamówienie z prośbą o fakturę, ale bez NIP, czeka w „Nowe” z tagiem, żeby ktoś sprawdził dane.</translation>
    </message>
    <message>
        <source>No invoice → fiscal receipt</source>
        <translation>Bez faktury → paragon fiskalny</translation>
    </message>
    <message>
        <source>A paid order without an invoice request gets a fiscal receipt.</source>
        <translation>Opłacone zamówienie bez prośby o fakturę dostaje paragon fiskalny.</translation>
    </message>
    <message>
        <source>Cash on delivery: invoice when the parcel is picked up</source>
        <translation>Za pobraniem: faktura po odebraniu paczki</translation>
    </message>
    <message>
        <source>For cash-on-delivery orders the invoice is issued only when the buyer picks up the parcel.</source>
        <translation>Dla zamówień za pobraniem faktura jest wystawiana dopiero, gdy kupujący odbierze paczkę.</translation>
    </message>
    <message>
        <source>Label generated → mark shipped</source>
        <translation>Wygenerowano etykietę → oznacz jako wysłane</translation>
    </message>
    <message>
        <source>Once the shipping label exists, the marketplace learns the tracking number and the order becomes "Shipped".</source>
        <translation>Gdy etykieta jest gotowa, serwis dostaje numer przesyłki, a zamówienie przechodzi na „Wysłane”.</translation>
    </message>
    <message>
        <source>Unpaid for 3 days → reminder</source>
        <translation>Nieopłacone od 3 dni → przypomnienie</translation>
    </message>
    <message>
        <source>Three days after an order that is still unpaid (and not cash on delivery), the buyer gets a reminder e-mail.</source>
        <translation>Trzy dni po zamówieniu, które wciąż nie jest opłacone (i nie jest za pobraniem), kupujący dostaje e-mail z przypomnieniem.</translation>
    </message>
    <message>
        <source>Unpaid for 7 days → claim, status, stock back</source>
        <translation>Nieopłacone od 7 dni → wniosek, status, zwrot na magazyn</translation>
    </message>
    <message>
        <source>A week without payment: the commission refund is claimed, the order is cancelled and its stock returns to the warehouse.</source>
        <translation>Tydzień bez płatności: składany jest wniosek o zwrot prowizji, zamówienie zostaje anulowane, a towar wraca na magazyn.</translation>
    </message>
    <message>
        <source>Cancelled → commission claim and refund</source>
        <translation>Anulowane → wniosek o prowizję i zwrot płatności</translation>
    </message>
    <message>
        <source>When the buyer cancels, the payment is refunded and the marketplace commission claimed back.</source>
        <translation>Gdy kupujący anuluje, płatność jest zwracana, a prowizja serwisu odzyskiwana.</translation>
    </message>
    <message>
        <source>Shipped + 10 days → ask for a review</source>
        <translation>Wysłane + 10 dni → prośba o opinię</translation>
    </message>
    <message>
        <source>Ten days after shipping the buyer is asked for feedback.</source>
        <translation>Dziesięć dni po wysyłce kupujący dostaje prośbę o opinię.</translation>
    </message>
    <message>
        <source>Foreign country → document with its VAT</source>
        <translation>Zagranica → dokument z jej stawką VAT</translation>
    </message>
    <message>
        <source>An order delivered abroad gets an invoice in the OSS series, with the buyer country's VAT.</source>
        <translation>Zamówienie wysyłane za granicę dostaje fakturę w serii OSS, ze stawką VAT kraju kupującego.</translation>
    </message>
    <message>
        <source>Channel → tag with the employee's name</source>
        <translation>Kanał → tag z imieniem pracownika</translation>
    </message>
    <message>
        <source>Orders from one marketplace account get the tag of the person who handles that account.</source>
        <translation>Zamówienia z jednego konta w serwisie dostają tag osoby, która obsługuje to konto.</translation>
    </message>
    <message>
        <source>Paid → call a URL</source>
        <translation>Opłacone → wywołaj adres URL</translation>
    </message>
    <message>
        <source>When an order is paid, your own server is told at an address with the order's data.</source>
        <translation>Gdy zamówienie zostanie opłacone, Twój serwer dostaje informację pod adresem z danymi zamówienia.</translation>
    </message>
    <message>
        <source>Autoresponder outside working hours, first message, after 15 min</source>
        <translation>Autoresponder poza godzinami pracy, pierwsza wiadomość, po 15 min</translation>
    </message>
    <message>
        <source>A buyer who writes after hours gets one reply 15 minutes later saying when you will answer.</source>
        <translation>Kupujący, który pisze po godzinach, dostaje po 15 minutach jedną odpowiedź z informacją, kiedy odpiszesz.</translation>
    </message>
    <message>
        <source>Autoresponder in working hours, every message, after 60 min</source>
        <translation>Autoresponder w godzinach pracy, każda wiadomość, po 60 min</translation>
    </message>
    <message>
        <source>During working hours every message not answered within an hour gets a short reply.</source>
        <translation>W godzinach pracy każda wiadomość bez odpowiedzi przez godzinę dostaje krótką odpowiedź.</translation>
    </message>
    <message>
        <source>Unhandled for 24 hours → status and alert</source>
        <translation>Nieobsłużone przez 24 godziny → status i alert</translation>
    </message>
    <message>
        <source>A paid order left in "New" for a day moves to "To ship" and the operator is told.</source>
        <translation>Opłacone zamówienie, które przez dobę leży w „Nowe”, trafia do „Do wysyłki”, a operator dostaje powiadomienie.</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>Płatności</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>Dokumenty</translation>
    </message>
    <message>
        <source>Shipping</source>
        <translation>Wysyłka</translation>
    </message>
    <message>
        <source>After-sales</source>
        <translation>Po sprzedaży</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Zespół</translation>
    </message>
    <message>
        <source>Integrations</source>
        <translation>Integracje</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Wiadomości</translation>
    </message>
    <message>
        <source>check NIP</source>
        <translation>sprawdź NIP</translation>
    </message>
    <message>
        <source>Refund failed</source>
        <translation>Zwrot pieniędzy nie powiódł się</translation>
    </message>
    <message>
        <source>Order {orderId} waited 24 h</source>
        <translation>Zamówienie {orderId} czeka od 24 h</translation>
    </message>
</context>
<context>
    <name>sd::ui::RuleTemplatesDialog</name>
    <message>
        <source>Rule templates</source>
        <translation>Szablony reguł</translation>
    </message>
    <message>
        <source>Ready-made rules from everyday selling. Pick one, read what it does, and open it in the editor to adjust it before saving. Actions marked "not configured" start working when their feature is set up.</source>
        <translation>Gotowe reguły z codziennej sprzedaży. Wybierz jedną, przeczytaj, co robi, i otwórz ją w edytorze, aby dopasować przed zapisaniem. Akcje oznaczone jako „nieskonfigurowane” zaczną działać po ustawieniu ich funkcji.</translation>
    </message>
    <message>
        <source>&amp;Open in the editor</source>
        <translation>&amp;Otwórz w edytorze</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
</context>
<context>
    <name>sd::ui::RuleTestPanel</name>
    <message>
        <source>Try the rule as it is now on past orders. Nothing is changed: no status, no number taken, nothing sent. The event is not checked; the scope and the conditions are.</source>
        <translation>Wypróbuj regułę w obecnej postaci na wcześniejszych zamówieniach. Nic się nie zmienia: żaden status, żaden numer, nic nie zostaje wysłane. Zdarzenie nie jest sprawdzane; zakres i warunki tak.</translation>
    </message>
    <message>
        <source>e.g. 12, 15, 40 (empty: the period)</source>
        <translation>np. 12, 15, 40 (puste: okres)</translation>
    </message>
    <message>
        <source>last 7 days</source>
        <translation>ostatnie 7 dni</translation>
    </message>
    <message>
        <source>last 30 days</source>
        <translation>ostatnie 30 dni</translation>
    </message>
    <message>
        <source>last 90 days</source>
        <translation>ostatnie 90 dni</translation>
    </message>
    <message>
        <source>every order</source>
        <translation>wszystkie zamówienia</translation>
    </message>
    <message>
        <source>Only matching orders</source>
        <translation>Tylko pasujące zamówienia</translation>
    </message>
    <message>
        <source>&amp;Run the test</source>
        <translation>&amp;Uruchom test</translation>
    </message>
    <message>
        <source>&amp;Orders:</source>
        <translation>&amp;Zamówienia:</translation>
    </message>
    <message>
        <source>or &amp;period:</source>
        <translation>lub &amp;okres:</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Zamówienie</translation>
    </message>
    <message>
        <source>Marketplace number</source>
        <translation>Numer w serwisie</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Matches</source>
        <translation>Pasuje</translation>
    </message>
    <message>
        <source>What would happen</source>
        <translation>Co by się stało</translation>
    </message>
    <message>
        <source>Tested orders</source>
        <translation>Sprawdzone zamówienia</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>Ślad</translation>
    </message>
    <message>
        <source>Fix the rule first: %1</source>
        <translation>Najpierw popraw regułę: %1</translation>
    </message>
    <message>
        <source>"%1" is not an order number.</source>
        <translation>„%1” nie jest numerem zamówienia.</translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) tested</source>
        <translation>
            <numerusform>sprawdzono %n zamówienie</numerusform>
            <numerusform>sprawdzono %n zamówienia</numerusform>
            <numerusform>sprawdzono %n zamówień</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n pasuje</numerusform>
            <numerusform>%n pasują</numerusform>
            <numerusform>%n pasuje</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing was changed.</source>
        <translation>Nic nie zostało zmienione.</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>tak</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nie</translation>
    </message>
</context>
<context>
    <name>sd::ui::RuleText</name>
    <message>
        <source>unpaid</source>
        <translation>nieopłacone</translation>
    </message>
    <message>
        <source>paid</source>
        <translation>opłacone</translation>
    </message>
    <message>
        <source>partly paid</source>
        <translation>opłacone częściowo</translation>
    </message>
    <message>
        <source>overpaid</source>
        <translation>nadpłacone</translation>
    </message>
    <message>
        <source>refunded</source>
        <translation>zwrócone</translation>
    </message>
    <message>
        <source>online payment</source>
        <translation>płatność online</translation>
    </message>
    <message>
        <source>cash on delivery</source>
        <translation>za pobraniem</translation>
    </message>
    <message>
        <source>bank transfer</source>
        <translation>przelew</translation>
    </message>
    <message>
        <source>split payment</source>
        <translation>podzielona płatność</translation>
    </message>
    <message>
        <source>deferred payment</source>
        <translation>płatność odroczona</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(brak)</translation>
    </message>
    <message>
        <source>the order date</source>
        <translation>daty zamówienia</translation>
    </message>
    <message>
        <source>the payment</source>
        <translation>płatności</translation>
    </message>
    <message>
        <source>the last status change</source>
        <translation>ostatniej zmiany statusu</translation>
    </message>
    <message>
        <source>GET</source>
        <translation>GET</translation>
    </message>
    <message>
        <source>POST</source>
        <translation>POST</translation>
    </message>
    <message>
        <source>at any time</source>
        <translation>zawsze</translation>
    </message>
    <message>
        <source>within working hours</source>
        <translation>w godzinach pracy</translation>
    </message>
    <message>
        <source>outside working hours</source>
        <translation>poza godzinami pracy</translation>
    </message>
    <message>
        <source>every message</source>
        <translation>każda wiadomość</translation>
    </message>
    <message>
        <source>only the first message</source>
        <translation>tylko pierwsza wiadomość</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>tak</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nie</translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n dzień</numerusform>
            <numerusform>%n dni</numerusform>
            <numerusform>%n dni</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n godzina</numerusform>
            <numerusform>%n godziny</numerusform>
            <numerusform>%n godzin</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minuta</numerusform>
            <numerusform>%n minuty</numerusform>
            <numerusform>%n minut</numerusform>
        </translation>
    </message>
    <message>
        <source>All of these hold (AND)</source>
        <translation>Spełnione wszystkie (I)</translation>
    </message>
    <message>
        <source>Any of these holds (OR)</source>
        <translation>Spełniony którykolwiek (LUB)</translation>
    </message>
    <message>
        <source>Not (NOT)</source>
        <translation>Nie (NIE)</translation>
    </message>
    <message>
        <source>At least one line item:</source>
        <translation>Co najmniej jedna pozycja:</translation>
    </message>
    <message>
        <source>Every line item:</source>
        <translation>Każda pozycja:</translation>
    </message>
    <message>
        <source>No line item:</source>
        <translation>Żadna pozycja:</translation>
    </message>
    <message>
        <source>%1 and %2</source>
        <translation>%1 i %2</translation>
    </message>
    <message>
        <source>after %1</source>
        <translation>po %1</translation>
    </message>
    <message>
        <source>stops the rule if it fails</source>
        <translation>zatrzymuje regułę, gdy się nie uda</translation>
    </message>
    <message>
        <source>(not configured yet)</source>
        <translation>(jeszcze nieskonfigurowana)</translation>
    </message>
    <message>
        <source>Name: %1</source>
        <translation>Nazwa: %1</translation>
    </message>
    <message>
        <source>Group: %1</source>
        <translation>Grupa: %1</translation>
    </message>
    <message>
        <source>Description: %1</source>
        <translation>Opis: %1</translation>
    </message>
    <message>
        <source>Owner: %1</source>
        <translation>Właściciel: %1</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Włączona</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Wyłączona</translation>
    </message>
    <message>
        <source>Only for accounts: %1</source>
        <translation>Tylko dla kont: %1</translation>
    </message>
    <message>
        <source>Only for couriers: %1</source>
        <translation>Tylko dla przewoźników: %1</translation>
    </message>
    <message numerus="yes">
        <source>At most %n time(s) per order</source>
        <translation>
            <numerusform>Najwyżej %n raz na zamówienie</numerusform>
            <numerusform>Najwyżej %n razy na zamówienie</numerusform>
            <numerusform>Najwyżej %n razy na zamówienie</numerusform>
        </translation>
    </message>
    <message>
        <source>When: %1</source>
        <translation>Kiedy: %1</translation>
    </message>
    <message>
        <source>If:</source>
        <translation>Jeżeli:</translation>
    </message>
    <message>
        <source>Then:</source>
        <translation>Wtedy:</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Warunek</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>Expected</source>
        <translation>Oczekiwane</translation>
    </message>
    <message>
        <source>Order has</source>
        <translation>Zamówienie ma</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <source>line items: %1</source>
        <translation>pozycje: %1</translation>
    </message>
    <message>
        <source>holds</source>
        <translation>spełniony</translation>
    </message>
    <message>
        <source>fails</source>
        <translation>niespełniony</translation>
    </message>
    <message>
        <source>Delay: %1</source>
        <translation>Opóźnienie: %1</translation>
    </message>
    <message>
        <source>Stops the rule if it fails</source>
        <translation>Zatrzymuje regułę, gdy się nie uda</translation>
    </message>
    <message>
        <source>Action: %1</source>
        <translation>Akcja: %1</translation>
    </message>
    <message>
        <source>If it fails: %1</source>
        <translation>Gdy się nie uda: %1</translation>
    </message>
    <message>
        <source>cash</source>
        <translation>gotówka</translation>
    </message>
    <message>
        <source>company purchase</source>
        <translation>zakup firmowy</translation>
    </message>
</context>
<context>
    <name>sd::ui::RuleVersionsPanel</name>
    <message>
        <source>Version</source>
        <translation>Wersja</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Zapisana</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Przez</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>Wersje</translation>
    </message>
    <message>
        <source>Changes</source>
        <translation>Zmiany</translation>
    </message>
    <message>
        <source>Roll &amp;back to this version</source>
        <translation>&amp;Przywróć tę wersję</translation>
    </message>
    <message>
        <source>Every save keeps a version. Choose one to see what it changed against the one before; rolling back saves a new version equal to it.</source>
        <translation>Każdy zapis zachowuje wersję. Wybierz jedną, aby zobaczyć, co zmieniła względem poprzedniej; przywrócenie zapisuje nową wersję równą wybranej.</translation>
    </message>
    <message>
        <source>The rule has no versions before it is saved.</source>
        <translation>Reguła nie ma wersji, dopóki nie zostanie zapisana.</translation>
    </message>
    <message>
        <source>Version %1 against version %2</source>
        <translation>Wersja %1 względem wersji %2</translation>
    </message>
    <message>
        <source>Version %1: the rule as first saved</source>
        <translation>Wersja %1: reguła w pierwszym zapisie</translation>
    </message>
    <message>
        <source>Version %1 is now the rule again, saved as version %2.</source>
        <translation>Wersja %1 znów obowiązuje, zapisana jako wersja %2.</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) added</source>
        <translation>
            <numerusform>dodano %n wiersz</numerusform>
            <numerusform>dodano %n wiersze</numerusform>
            <numerusform>dodano %n wierszy</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) removed</source>
        <translation>
            <numerusform>usunięto %n wiersz</numerusform>
            <numerusform>usunięto %n wiersze</numerusform>
            <numerusform>usunięto %n wierszy</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sd::ui::RulesPage</name>
    <message>
        <source>Automation rules</source>
        <translation>Reguły automatyzacji</translation>
    </message>
    <message>
        <source>Search rules by name, group, owner or event (Ctrl+F)</source>
        <translation>Szukaj reguł po nazwie, grupie, właścicielu lub zdarzeniu (Ctrl+F)</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>Reguły</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Ostrzeżenia</translation>
    </message>
    <message>
        <source>&amp;New…</source>
        <translation>&amp;Nowa…</translation>
    </message>
    <message>
        <source>From a &amp;template…</source>
        <translation>Z &amp;szablonu…</translation>
    </message>
    <message>
        <source>&amp;Edit…</source>
        <translation>&amp;Edytuj…</translation>
    </message>
    <message>
        <source>&amp;Duplicate</source>
        <translation>&amp;Powiel</translation>
    </message>
    <message>
        <source>De&amp;lete…</source>
        <translation>&amp;Usuń…</translation>
    </message>
    <message>
        <source>&amp;Import JSON…</source>
        <translation>&amp;Importuj JSON…</translation>
    </message>
    <message>
        <source>Import rules</source>
        <translation>Import reguł</translation>
    </message>
    <message>
        <source>Rules (*.json)</source>
        <translation>Reguły (*.json)</translation>
    </message>
    <message>
        <source>E&amp;xport JSON…</source>
        <translation>E&amp;ksportuj JSON…</translation>
    </message>
    <message>
        <source>Export rules</source>
        <translation>Eksport reguł</translation>
    </message>
    <message>
        <source>&amp;Versions…</source>
        <translation>&amp;Wersje…</translation>
    </message>
    <message>
        <source>Execution &amp;log…</source>
        <translation>&amp;Dziennik wykonań…</translation>
    </message>
    <message>
        <source>Warnings:</source>
        <translation>Ostrzeżenia:</translation>
    </message>
    <message>
        <source>Dead rule</source>
        <translation>Martwa reguła</translation>
    </message>
    <message>
        <source>Conflict</source>
        <translation>Konflikt</translation>
    </message>
    <message>
        <source>Can loop</source>
        <translation>Może się zapętlić</translation>
    </message>
    <message>
        <source>No warnings: every rule can act and none fights another.</source>
        <translation>Brak ostrzeżeń: każda reguła może działać i żadna nie koliduje z inną.</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1 (kopia)</translation>
    </message>
    <message>
        <source>Copied as "%1", disabled until you enable it.</source>
        <translation>Skopiowano jako „%1”; kopia jest wyłączona, dopóki jej nie włączysz.</translation>
    </message>
    <message>
        <source>Delete rule</source>
        <translation>Usuwanie reguły</translation>
    </message>
    <message>
        <source>Delete the rule "%1" with all its versions? Its traces and the execution log stay.</source>
        <translation>Usunąć regułę „%1” ze wszystkimi wersjami? Jej ślady i dziennik wykonań zostaną.</translation>
    </message>
    <message>
        <source>Deleted "%1".</source>
        <translation>Usunięto „%1”.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>Nie można odczytać %1: %2</translation>
    </message>
    <message>
        <source>%1 is not JSON: %2</source>
        <translation>%1 nie jest plikiem JSON: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n rule(s) imported.</source>
        <translation>
            <numerusform>Zaimportowano %n regułę.</numerusform>
            <numerusform>Zaimportowano %n reguły.</numerusform>
            <numerusform>Zaimportowano %n reguł.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Nie można zapisać %1: %2</translation>
    </message>
    <message numerus="yes">
        <source>%n rule(s) exported to %1.</source>
        <translation>
            <numerusform>Wyeksportowano %n regułę do %1.</numerusform>
            <numerusform>Wyeksportowano %n reguły do %1.</numerusform>
            <numerusform>Wyeksportowano %n reguł do %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Versions of rule %1</source>
        <translation>Wersje reguły %1</translation>
    </message>
</context>
<context>
    <name>sd::ui::RunLogModel</name>
    <message>
        <source>done</source>
        <translation>wykonano</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>nie udało się</translation>
    </message>
    <message>
        <source>will retry</source>
        <translation>ponowi próbę</translation>
    </message>
    <message>
        <source>skipped: already done</source>
        <translation>pominięto: już wykonane</translation>
    </message>
    <message>
        <source>not configured</source>
        <translation>nieskonfigurowana</translation>
    </message>
    <message>
        <source>fired</source>
        <translation>zadziałała</translation>
    </message>
    <message>
        <source>did not fire</source>
        <translation>nie zadziałała</translation>
    </message>
    <message>
        <source>stopped: chain too deep</source>
        <translation>zatrzymano: za długi łańcuch</translation>
    </message>
    <message>
        <source>stopped: limit per order</source>
        <translation>zatrzymano: limit na zamówienie</translation>
    </message>
    <message>
        <source>timer set</source>
        <translation>ustawiono odliczanie</translation>
    </message>
    <message>
        <source>(deleted)</source>
        <translation>(usunięta)</translation>
    </message>
    <message>
        <source>timer</source>
        <translation>odliczanie</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Czas</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Reguła</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Zamówienie</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Akcja</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Komunikat</translation>
    </message>
    <message>
        <source>Took</source>
        <translation>Trwało</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Zadanie</translation>
    </message>
</context>
<context>
    <name>sd::ui::RunRuleDialog</name>
    <message>
        <source>Run rule</source>
        <translation>Uruchom regułę</translation>
    </message>
    <message numerus="yes">
        <source>Run a rule on %n order(s). Only enabled rules whose trigger is "Run by hand" are offered.</source>
        <translation>
            <numerusform>Uruchom regułę na %n zamówieniu. Do wyboru są tylko włączone reguły z wyzwalaczem „Uruchomienie ręczne”.</numerusform>
            <numerusform>Uruchom regułę na %n zamówieniach. Do wyboru są tylko włączone reguły z wyzwalaczem „Uruchomienie ręczne”.</numerusform>
            <numerusform>Uruchom regułę na %n zamówieniach. Do wyboru są tylko włączone reguły z wyzwalaczem „Uruchomienie ręczne”.</numerusform>
        </translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Uruchom</translation>
    </message>
    <message>
        <source>No rule runs by hand yet: give a rule the trigger "Run by hand" in Settings → Automation rules.</source>
        <translation>Żadnej reguły nie uruchamia się jeszcze ręcznie: nadaj regule wyzwalacz „Uruchomienie ręczne” w Ustawienia → Reguły automatyzacji.</translation>
    </message>
    <message>
        <source>Order %1: %2</source>
        <translation>Zamówienie %1: %2</translation>
    </message>
    <message numerus="yes">
        <source>Rule "%1" will run on %n order(s); the automation shows each run in the order's Automation tab.</source>
        <translation>
            <numerusform>Reguła „%1” wykona się na %n zamówieniu; każde uruchomienie pokaże zakładka Automatyzacja zamówienia.</numerusform>
            <numerusform>Reguła „%1” wykona się na %n zamówieniach; każde uruchomienie pokaże zakładka Automatyzacja zamówienia.</numerusform>
            <numerusform>Reguła „%1” wykona się na %n zamówieniach; każde uruchomienie pokaże zakładka Automatyzacja zamówienia.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sd::ui::ScannerSettings</name>
    <message>
        <source>Barcode scanner</source>
        <translation>Czytnik kodów kreskowych</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>Tab</source>
        <translation>Tab</translation>
    </message>
    <message>
        <source>none</source>
        <translation>brak</translation>
    </message>
    <message>
        <source>Beep when the packing station refuses a scan</source>
        <translation>Sygnał dźwiękowy, gdy stanowisko pakowania odrzuci skan</translation>
    </message>
    <message>
        <source>Longest gap between keys of one scan:</source>
        <translation>Najdłuższa przerwa między znakami jednego skanu:</translation>
    </message>
    <message>
        <source>Shortest code:</source>
        <translation>Najkrótszy kod:</translation>
    </message>
    <message>
        <source>The scanner ends a code with:</source>
        <translation>Czytnik kończy kod klawiszem:</translation>
    </message>
    <message>
        <source>Prefix the scanner sends first:</source>
        <translation>Prefiks wysyłany przez czytnik na początku:</translation>
    </message>
    <message>
        <source>none (keyboard scanner)</source>
        <translation>brak (czytnik jako klawiatura)</translation>
    </message>
    <message>
        <source>Serial or USB-CDC scanner port (from the next start):</source>
        <translation>Port czytnika szeregowego lub USB-CDC (od następnego uruchomienia):</translation>
    </message>
    <message>
        <source>Scan here to test</source>
        <translation>Zeskanuj tutaj, aby sprawdzić</translation>
    </message>
    <message>
        <source>Scan any barcode: what was recognised appears here</source>
        <translation>Zeskanuj dowolny kod: tutaj pojawi się to, co rozpoznano</translation>
    </message>
    <message>
        <source>Nothing scanned yet.</source>
        <translation>Jeszcze nic nie zeskanowano.</translation>
    </message>
    <message>
        <source>Command barcodes (scanning one runs its rule on the open order)</source>
        <translation>Kody poleceń (zeskanowanie uruchamia regułę na otwartym zamówieniu)</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Kod</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Reguła</translation>
    </message>
    <message>
        <source>Code, e.g. CMD-PACKED</source>
        <translation>Kod, np. CMD-PACKED</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Dodaj</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>no rule runs by hand yet</source>
        <translation>nie ma jeszcze reguły uruchamianej ręcznie</translation>
    </message>
    <message>
        <source>Recognised as a scan: %1, order %2.</source>
        <translation>Rozpoznano skan: %1, zamówienie %2.</translation>
    </message>
    <message>
        <source>Recognised as a scan: %1, product %2.</source>
        <translation>Rozpoznano skan: %1, produkt %2.</translation>
    </message>
    <message>
        <source>Recognised as a scan: %1, rule %2.</source>
        <translation>Rozpoznano skan: %1, reguła %2.</translation>
    </message>
    <message>
        <source>Recognised as a scan, but no order, product or command has this code.</source>
        <translation>Rozpoznano skan, ale żadne zamówienie, produkt ani polecenie nie ma tego kodu.</translation>
    </message>
    <message>
        <source>Choose at least one key the scanner ends a code with.</source>
        <translation>Wybierz co najmniej jeden klawisz, którym czytnik kończy kod.</translation>
    </message>
</context>
<context>
    <name>sd::ui::ServiceCasesPage</name>
    <message>
        <source>Service cases</source>
        <translation>Zgłoszenia serwisowe</translation>
    </message>
    <message>
        <source>Open cases</source>
        <translation>Otwarte zgłoszenia</translation>
    </message>
    <message>
        <source>All cases</source>
        <translation>Wszystkie zgłoszenia</translation>
    </message>
    <message>
        <source>Product, serial number, buyer or case number</source>
        <translation>Produkt, numer seryjny, kupujący lub numer zgłoszenia</translation>
    </message>
    <message>
        <source>&amp;Show</source>
        <translation>P&amp;okaż</translation>
    </message>
    <message>
        <source>S&amp;earch</source>
        <translation>S&amp;zukaj</translation>
    </message>
    <message>
        <source>&amp;New case…</source>
        <translation>&amp;Nowe zgłoszenie…</translation>
    </message>
    <message>
        <source>No.</source>
        <translation>Nr</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Buyer</source>
        <translation>Kupujący</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Zamówienie</translation>
    </message>
    <message>
        <source>Expected back</source>
        <translation>Powrót z serwisu</translation>
    </message>
    <message>
        <source>N&amp;ote to the next step (the buyer reads it)</source>
        <translation>N&amp;otatka do następnego kroku (kupujący ją przeczyta)</translation>
    </message>
    <message>
        <source>Overdue: expected back on %1</source>
        <translation>Po terminie: miało wrócić %1</translation>
    </message>
    <message>
        <source>Expected back today</source>
        <translation>Ma wrócić dziś</translation>
    </message>
    <message>
        <source>No service cases here.</source>
        <translation>Brak zgłoszeń serwisowych.</translation>
    </message>
    <message>
        <source>Choose a case on the left.</source>
        <translation>Wybierz zgłoszenie po lewej.</translation>
    </message>
    <message>
        <source>Service case %1: %2</source>
        <translation>Zgłoszenie serwisowe %1: %2</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>Numer seryjny</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Serwis</translation>
    </message>
    <message>
        <source>%1 (overdue)</source>
        <translation>%1 (po terminie)</translation>
    </message>
    <message>
        <source>Warranty until</source>
        <translation>Gwarancja do</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Przebieg</translation>
    </message>
    <message>
        <source>→ %1</source>
        <translation>→ %1</translation>
    </message>
    <message>
        <source>The case is closed.</source>
        <translation>Zgłoszenie jest zamknięte.</translation>
    </message>
    <message>
        <source>Case %1: %2. The buyer is informed by e-mail when an address is known.</source>
        <translation>Zgłoszenie %1: %2. Kupujący dostaje e-mail, jeśli znamy jego adres.</translation>
    </message>
    <message>
        <source>New service case</source>
        <translation>Nowe zgłoszenie serwisowe</translation>
    </message>
    <message>
        <source>SellerDesk or marketplace number (optional)</source>
        <translation>Numer w SellerDesk lub na platformie (opcjonalnie)</translation>
    </message>
    <message>
        <source>1, 2, ... (an order with several lines)</source>
        <translation>1, 2, ... (zamówienie z kilkoma pozycjami)</translation>
    </message>
    <message>
        <source>&amp;Order</source>
        <translation>&amp;Zamówienie</translation>
    </message>
    <message>
        <source>&amp;Line</source>
        <translation>Po&amp;zycja</translation>
    </message>
    <message>
        <source>&amp;Product</source>
        <translation>&amp;Produkt</translation>
    </message>
    <message>
        <source>&amp;Serial number</source>
        <translation>Numer &amp;seryjny</translation>
    </message>
    <message>
        <source>&amp;Buyer</source>
        <translation>&amp;Kupujący</translation>
    </message>
    <message>
        <source>&amp;E-mail</source>
        <translation>&amp;E-mail</translation>
    </message>
    <message>
        <source>P&amp;hone</source>
        <translation>&amp;Telefon</translation>
    </message>
    <message>
        <source>P&amp;roblem</source>
        <translation>P&amp;roblem</translation>
    </message>
    <message>
        <source>Ser&amp;vice</source>
        <translation>Ser&amp;wis</translation>
    </message>
    <message>
        <source>E&amp;xpected back</source>
        <translation>Po&amp;wrót z serwisu</translation>
    </message>
    <message>
        <source>The line is its number: 1, 2, ...</source>
        <translation>Pozycja to jej numer: 1, 2, ...</translation>
    </message>
    <message>
        <source>Service case %1 registered.</source>
        <translation>Zarejestrowano zgłoszenie serwisowe %1.</translation>
    </message>
</context>
<context>
    <name>sd::ui::StatusSettings</name>
    <message>
        <source>Order statuses</source>
        <translation>Statusy zamówień</translation>
    </message>
    <message>
        <source>Every status is a tab of the order list. The group decides where its orders count.</source>
        <translation>Każdy status to zakładka listy zamówień. Grupa decyduje, gdzie liczą się jego zamówienia.</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Dodaj…</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>&amp;Zmień nazwę…</translation>
    </message>
    <message>
        <source>&amp;Colour…</source>
        <translation>&amp;Kolor…</translation>
    </message>
    <message>
        <source>Move &amp;up</source>
        <translation>W &amp;górę</translation>
    </message>
    <message>
        <source>Move &amp;down</source>
        <translation>W d&amp;ół</translation>
    </message>
    <message>
        <source>Re&amp;move…</source>
        <translation>&amp;Usuń…</translation>
    </message>
    <message>
        <source>&amp;Group:</source>
        <translation>&amp;Grupa:</translation>
    </message>
    <message>
        <source>New status</source>
        <translation>Nowy status</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nazwa:</translation>
    </message>
    <message>
        <source>Rename status</source>
        <translation>Zmiana nazwy statusu</translation>
    </message>
    <message>
        <source>Remove status</source>
        <translation>Usuwanie statusu</translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) have this status. Move them to:</source>
        <translation>
            <numerusform>%n zamówienie ma ten status. Przenieś je do:</numerusform>
            <numerusform>%n zamówienia mają ten status. Przenieś je do:</numerusform>
            <numerusform>%n zamówień ma ten status. Przenieś je do:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>sd::ui::StatusTabs</name>
    <message>
        <source>All (%1)</source>
        <translation>Wszystkie (%1)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Saved view</source>
        <translation>Zapisany widok</translation>
    </message>
</context>
<context>
    <name>sd::ui::TemplatesEditor</name>
    <message>
        <source>Message templates</source>
        <translation>Szablony wiadomości</translation>
    </message>
    <message>
        <source>Polish</source>
        <translation>polski</translation>
    </message>
    <message>
        <source>English</source>
        <translation>angielski</translation>
    </message>
    <message>
        <source>none</source>
        <translation>brak</translation>
    </message>
    <message>
        <source>Placeholders: %1</source>
        <translation>Pola do wstawienia: %1</translation>
    </message>
    <message>
        <source>&amp;Template:</source>
        <translation>&amp;Szablon:</translation>
    </message>
    <message>
        <source>&amp;Subject:</source>
        <translation>&amp;Temat:</translation>
    </message>
    <message>
        <source>Te&amp;xt:</source>
        <translation>T&amp;reść:</translation>
    </message>
    <message>
        <source>S&amp;MS:</source>
        <translation>S&amp;MS:</translation>
    </message>
    <message>
        <source>Preview with &amp;order:</source>
        <translation>Podgląd z &amp;zamówieniem:</translation>
    </message>
    <message>
        <source>Order %1: %2</source>
        <translation>Zamówienie %1: %2</translation>
    </message>
    <message>
        <source>No SMS text.</source>
        <translation>Brak treści SMS.</translation>
    </message>
    <message numerus="yes">
        <source>SMS: %n character(s)</source>
        <translation>
            <numerusform>SMS: %n znak</numerusform>
            <numerusform>SMS: %n znaki</numerusform>
            <numerusform>SMS: %n znaków</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n part(s)</source>
        <translation>
            <numerusform>%n część</numerusform>
            <numerusform>%n części</numerusform>
            <numerusform>%n części</numerusform>
        </translation>
    </message>
    <message>
        <source> (Polish letters: 70 characters a part)</source>
        <translation> (polskie znaki: 70 znaków na część)</translation>
    </message>
    <message>
        <source>The template needs a text.</source>
        <translation>Szablon wymaga treści.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Zapisano.</translation>
    </message>
    <message>
        <source>Back to the built-in template.</source>
        <translation>Przywrócono szablon wbudowany.</translation>
    </message>
</context>
<context>
    <name>sd::ui::TrainingLauncher</name>
    <message>
        <source>The training marketplace could not be started on %1 (see training-marketplace.log in the profile folder).</source>
        <translation>Nie udało się uruchomić serwisu szkoleniowego pod adresem %1 (zobacz training-marketplace.log w folderze profilu).</translation>
    </message>
    <message>
        <source>The fiscal printer simulator could not be started on %1.</source>
        <translation>Nie udało się uruchomić symulatora drukarki fiskalnej pod adresem %1.</translation>
    </message>
</context>
<context>
    <name>sd::ui::UsersDialog</name>
    <message>
        <source>Users and roles</source>
        <translation>Użytkownicy i role</translation>
    </message>
    <message>
        <source>No users yet: SellerDesk starts without a login. The first user you add must be an administrator and logs in automatically on this workstation (%1).</source>
        <translation>Nie ma jeszcze użytkowników: SellerDesk uruchamia się bez logowania. Pierwszy dodany użytkownik musi być administratorem i będzie logowany automatycznie na tym stanowisku (%1).</translation>
    </message>
    <message>
        <source>Logged in as %1 (%2) on %3.</source>
        <translation>Zalogowano jako %1 (%2) na stanowisku %3.</translation>
    </message>
    <message>
        <source>&amp;Users</source>
        <translation>&amp;Użytkownicy</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rola</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Automatic login here</source>
        <translation>Automatyczne logowanie tutaj</translation>
    </message>
    <message>
        <source>Set &amp;password…</source>
        <translation>Ustaw &amp;hasło…</translation>
    </message>
    <message>
        <source>Change &amp;role…</source>
        <translation>Zmień &amp;rolę…</translation>
    </message>
    <message>
        <source>Log in &amp;automatically here</source>
        <translation>Loguj &amp;automatycznie tutaj</translation>
    </message>
    <message>
        <source>Ask at &amp;start</source>
        <translation>Pytaj przy &amp;starcie</translation>
    </message>
    <message>
        <source>R&amp;oles</source>
        <translation>R&amp;ole</translation>
    </message>
    <message>
        <source>Permissions</source>
        <translation>Uprawnienia</translation>
    </message>
    <message>
        <source>Add a user</source>
        <translation>Dodaj użytkownika</translation>
    </message>
    <message>
        <source>Password (at least 6 characters)</source>
        <translation>Hasło (co najmniej 6 znaków)</translation>
    </message>
    <message>
        <source>A&amp;dd</source>
        <translation>&amp;Dodaj</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktywny</translation>
    </message>
    <message>
        <source>switched off</source>
        <translation>wyłączony</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>tak</translation>
    </message>
    <message>
        <source>User %1 added.</source>
        <translation>Dodano użytkownika %1.</translation>
    </message>
    <message>
        <source>Choose a user first.</source>
        <translation>Najpierw wybierz użytkownika.</translation>
    </message>
    <message>
        <source>Set password</source>
        <translation>Ustaw hasło</translation>
    </message>
    <message>
        <source>New password for %1:</source>
        <translation>Nowe hasło dla %1:</translation>
    </message>
    <message>
        <source>The password of %1 was changed.</source>
        <translation>Hasło użytkownika %1 zostało zmienione.</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>Zmień rolę</translation>
    </message>
    <message>
        <source>Role of %1:</source>
        <translation>Rola użytkownika %1:</translation>
    </message>
    <message>
        <source>%1 logs in automatically on this workstation.</source>
        <translation>%1 jest logowany automatycznie na tym stanowisku.</translation>
    </message>
    <message>
        <source>This workstation asks who logs in at start.</source>
        <translation>To stanowisko pyta przy starcie, kto się loguje.</translation>
    </message>
</context>
<context>
    <name>sd::ui::WindowHost</name>
    <message>
        <source>“%1” is connected to the training marketplace on this computer.</source>
        <translation>Konto „%1” jest połączone z serwisem szkoleniowym na tym komputerze.</translation>
    </message>
</context>
</TS>
