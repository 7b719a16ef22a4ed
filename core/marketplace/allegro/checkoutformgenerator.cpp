#include "marketplace/allegro/checkoutformgenerator.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QString>
#include <QStringView>

#include <cstddef>
#include <cstring>
#include <random>
#include <unordered_set>
#include <vector>

using namespace Qt::StringLiterals;

namespace sd::marketplace::allegro {
namespace {

constexpr qint64 kMsPerMinute = 60'000;
constexpr qint64 kMsPerHour = 60 * kMsPerMinute;
constexpr qint64 kMsPerDay = 24 * kMsPerHour;
constexpr qint64 kHistoryDays = 60;
constexpr std::size_t kKnownBuyers = 256;

// ---------------------------------------------------------------------------------------------------------------
// Tables: plain constexpr arrays of string views, so nothing is built or allocated per call. Laid out by hand
// (clang-format would put every entry on a line of its own).
// clang-format off

struct City
{
    QStringView name;
    QStringView code; // three letters, as in parcel locker ids ("KRA01M")
    int zipLo;        // postcodes as integers: 30001 is "30-001" (PL) or "300 01" (CZ)
    int zipHi;
    int weight; // roughly the population in ten thousands
};

constexpr City kPlCities[] = {
    {u"Warszawa", u"WAW", 1, 4999, 180},
    {u"Kraków", u"KRA", 30001, 31999, 80},
    {u"Łódź", u"LOD", 90001, 94999, 67},
    {u"Wrocław", u"WRO", 50001, 54999, 64},
    {u"Poznań", u"POZ", 60001, 61999, 53},
    {u"Gdańsk", u"GDA", 80001, 80999, 47},
    {u"Szczecin", u"SZC", 70001, 71999, 39},
    {u"Bydgoszcz", u"BYD", 85001, 85999, 33},
    {u"Lublin", u"LUB", 20001, 20999, 33},
    {u"Białystok", u"BIA", 15001, 15999, 29},
    {u"Katowice", u"KAT", 40001, 40999, 28},
    {u"Gdynia", u"GDY", 81001, 81599, 24},
    {u"Częstochowa", u"CZE", 42200, 42299, 21},
    {u"Radom", u"RAD", 26600, 26699, 20},
    {u"Toruń", u"TOR", 87100, 87199, 20},
    {u"Rzeszów", u"RZE", 35001, 35999, 19},
    {u"Sosnowiec", u"SOS", 41200, 41219, 19},
    {u"Kielce", u"KIE", 25001, 25999, 18},
    {u"Gliwice", u"GLI", 44100, 44199, 17},
    {u"Olsztyn", u"OLS", 10001, 10999, 17},
    {u"Bielsko-Biała", u"BBI", 43300, 43399, 17},
    {u"Zabrze", u"ZAB", 41800, 41819, 16},
    {u"Bytom", u"BYT", 41900, 41949, 16},
    {u"Zielona Góra", u"ZGO", 65001, 65999, 14},
    {u"Rybnik", u"RYB", 44200, 44299, 13},
    {u"Opole", u"OPO", 45001, 45999, 12},
    {u"Tychy", u"TYC", 43100, 43119, 12},
    {u"Gorzów Wielkopolski", u"GOR", 66400, 66499, 12},
    {u"Elbląg", u"ELB", 82300, 82399, 11},
    {u"Płock", u"PLO", 9400, 9420, 11},
    {u"Wałbrzych", u"WAL", 58300, 58316, 11},
    {u"Włocławek", u"WLO", 87800, 87820, 10},
    {u"Tarnów", u"TAR", 33100, 33110, 10},
    {u"Chorzów", u"CHO", 41500, 41506, 10},
    {u"Koszalin", u"KOS", 75001, 75900, 10},
    {u"Kalisz", u"KAL", 62800, 62810, 10},
    {u"Legnica", u"LEG", 59200, 59230, 10},
    {u"Grudziądz", u"GRU", 86300, 86311, 9},
    {u"Słupsk", u"SLU", 76200, 76270, 9},
    {u"Jastrzębie-Zdrój", u"JAS", 44330, 44335, 9},
    {u"Nowy Sącz", u"NSA", 33300, 33310, 8},
    {u"Jelenia Góra", u"JEL", 58500, 58573, 8},
    {u"Siedlce", u"SIE", 8100, 8110, 8},
    {u"Mysłowice", u"MYS", 41400, 41412, 7},
    {u"Konin", u"KON", 62500, 62510, 7},
    {u"Piła", u"PIL", 64920, 64920, 7},
    {u"Piotrków Trybunalski", u"PIO", 97300, 97300, 7},
    {u"Inowrocław", u"INO", 88100, 88100, 7},
    {u"Ostrów Wielkopolski", u"OST", 63400, 63400, 7},
    {u"Suwałki", u"SUW", 16400, 16400, 7},
    {u"Gniezno", u"GNI", 62200, 62200, 7},
    {u"Głogów", u"GLO", 67200, 67200, 7},
    {u"Pabianice", u"PAB", 95200, 95200, 6},
    {u"Leszno", u"LES", 64100, 64100, 6},
    {u"Zamość", u"ZAM", 22400, 22400, 6},
    {u"Łomża", u"LOM", 18400, 18400, 6},
    {u"Ełk", u"ELK", 19300, 19300, 6},
    {u"Chełm", u"CHE", 22100, 22100, 6},
    {u"Mielec", u"MIE", 39300, 39300, 6},
    {u"Przemyśl", u"PRZ", 37700, 37700, 6},
    {u"Stalowa Wola", u"STW", 37450, 37450, 6},
    {u"Tczew", u"TCZ", 83110, 83110, 6},
    {u"Biała Podlaska", u"BPO", 21500, 21500, 6},
    {u"Bełchatów", u"BEL", 97400, 97400, 6},
    {u"Świdnica", u"SWI", 58100, 58100, 5},
    {u"Będzin", u"BED", 42500, 42500, 5},
    {u"Zgierz", u"ZGI", 95100, 95100, 5},
    {u"Racibórz", u"RAC", 47400, 47400, 5},
    {u"Legionowo", u"LEI", 5120, 5120, 5},
    {u"Ostrowiec Świętokrzyski", u"OSW", 27400, 27400, 5},
    {u"Zawiercie", u"ZAW", 42400, 42400, 5},
    {u"Starachowice", u"SCH", 27200, 27200, 4},
    {u"Wejherowo", u"WEJ", 84200, 84200, 4},
    {u"Puławy", u"PUL", 24100, 24100, 4},
    {u"Skierniewice", u"SKI", 96100, 96100, 4},
    {u"Sopot", u"SOP", 81701, 81759, 4},
    {u"Zakopane", u"ZAK", 34500, 34500, 3},
    {u"Wieliczka", u"WIE", 32020, 32020, 3},
    {u"Kołobrzeg", u"KOL", 78100, 78100, 3},
    {u"Żyrardów", u"ZYR", 96300, 96300, 3},
    {u"Oświęcim", u"OSC", 32600, 32600, 3},
    {u"Augustów", u"AUG", 16300, 16300, 2},
    {u"Giżycko", u"GIZ", 11500, 11500, 2},
    {u"Sandomierz", u"SAN", 27600, 27600, 2},
    {u"Łowicz", u"LOW", 99400, 99400, 2},
    {u"Żary", u"ZAR", 68200, 68200, 2},
    {u"Ząbki", u"ZBK", 5091, 5091, 2},
    {u"Nowy Targ", u"NTA", 34400, 34400, 2},
};

constexpr City kCzCities[] = {
    {u"Praha", u"PRG", 10000, 19900, 130}, {u"Brno", u"BRN", 60200, 64900, 38},
    {u"Ostrava", u"OSV", 70030, 72529, 28}, {u"Plzeň", u"PLZ", 30100, 32600, 17},
    {u"Liberec", u"LBC", 46001, 46312, 10}, {u"Olomouc", u"OLO", 77900, 78371, 10},
    {u"České Budějovice", u"CBU", 37001, 37011, 9}, {u"Hradec Králové", u"HKR", 50002, 50341, 9},
    {u"Pardubice", u"PAR", 53002, 53354, 9}, {u"Zlín", u"ZLN", 76001, 76314, 7},
};

constexpr QStringView kPlStreets[] = {
    u"Marszałkowska", u"Długa", u"Krótka", u"Polna", u"Leśna", u"Słoneczna", u"Kwiatowa", u"Ogrodowa",
    u"Lipowa", u"Brzozowa", u"Szkolna", u"Kościelna", u"Mickiewicza", u"Słowackiego", u"Kościuszki",
    u"Sienkiewicza", u"Jana Pawła II", u"Piłsudskiego", u"3 Maja", u"Wojska Polskiego", u"Żeromskiego",
    u"Konopnickiej", u"Reymonta", u"Kopernika", u"Chopina", u"Prusa", u"Grunwaldzka", u"Nowa", u"Łąkowa",
    u"Źródlana", u"Różana", u"Świętokrzyska", u"Żwirki i Wigury", u"Armii Krajowej", u"Powstańców Śląskich",
    u"Wrocławska", u"Poznańska", u"Krakowska", u"Zielona", u"Spacerowa", u"Wiejska", u"Księdza Popiełuszki",
    u"Batorego", u"Jagiellońska", u"Piastowska", u"Traugutta", u"Matejki", u"Dąbrowskiego", u"Kasprowicza",
    u"Bohaterów Westerplatte", u"Ułańska", u"Sportowa", u"Młyńska", u"Cicha", u"Wiśniowa", u"Jaśminowa",
};

constexpr QStringView kCzStreets[] = {
    u"Vinohradská", u"Národní", u"Masarykova", u"Husova", u"Palackého", u"Nádražní", u"Komenského",
    u"Sokolská", u"Jiráskova", u"Smetanova", u"Tyršova", u"Žižkova", u"Havlíčkova", u"Českobratrská",
};

constexpr QStringView kPlMaleFirstNames[] = {
    u"Jan", u"Piotr", u"Krzysztof", u"Andrzej", u"Tomasz", u"Paweł", u"Michał", u"Marcin", u"Łukasz",
    u"Grzegorz", u"Mateusz", u"Adam", u"Jakub", u"Wojciech", u"Mariusz", u"Dariusz", u"Kamil", u"Maciej",
    u"Marek", u"Rafał", u"Szymon", u"Bartłomiej", u"Przemysław", u"Sławomir", u"Zbigniew", u"Jarosław",
    u"Mikołaj", u"Antoni", u"Stanisław", u"Józef", u"Ryszard", u"Jędrzej", u"Kacper", u"Bartosz",
    u"Damian", u"Filip", u"Dawid", u"Radosław", u"Wiesław", u"Zdzisław",
};

constexpr QStringView kPlFemaleFirstNames[] = {
    u"Anna", u"Maria", u"Katarzyna", u"Małgorzata", u"Agnieszka", u"Barbara", u"Ewa", u"Krystyna",
    u"Magdalena", u"Elżbieta", u"Joanna", u"Aleksandra", u"Monika", u"Zofia", u"Justyna", u"Natalia",
    u"Karolina", u"Marta", u"Beata", u"Dorota", u"Paulina", u"Weronika", u"Jadwiga", u"Halina",
    u"Bożena", u"Grażyna", u"Urszula", u"Iwona", u"Łucja", u"Wiktoria", u"Kinga", u"Teresa", u"Danuta",
    u"Jolanta", u"Żaneta", u"Oliwia", u"Zuzanna", u"Renata", u"Sylwia", u"Agata",
};

struct Surname
{
    QStringView male;
    QStringView female;
};

constexpr Surname kPlSurnames[] = {
    {u"Nowak", u"Nowak"}, {u"Kowalski", u"Kowalska"}, {u"Wiśniewski", u"Wiśniewska"},
    {u"Wójcik", u"Wójcik"}, {u"Kowalczyk", u"Kowalczyk"}, {u"Kamiński", u"Kamińska"},
    {u"Lewandowski", u"Lewandowska"}, {u"Zieliński", u"Zielińska"}, {u"Szymański", u"Szymańska"},
    {u"Woźniak", u"Woźniak"}, {u"Dąbrowski", u"Dąbrowska"}, {u"Kozłowski", u"Kozłowska"},
    {u"Jankowski", u"Jankowska"}, {u"Mazur", u"Mazur"}, {u"Wojciechowski", u"Wojciechowska"},
    {u"Kwiatkowski", u"Kwiatkowska"}, {u"Krawczyk", u"Krawczyk"}, {u"Kaczmarek", u"Kaczmarek"},
    {u"Piotrowski", u"Piotrowska"}, {u"Grabowski", u"Grabowska"}, {u"Zając", u"Zając"},
    {u"Pawłowski", u"Pawłowska"}, {u"Michalski", u"Michalska"}, {u"Król", u"Król"},
    {u"Wieczorek", u"Wieczorek"}, {u"Jabłoński", u"Jabłońska"}, {u"Wróbel", u"Wróbel"},
    {u"Nowakowski", u"Nowakowska"}, {u"Majewski", u"Majewska"}, {u"Olszewski", u"Olszewska"},
    {u"Stępień", u"Stępień"}, {u"Malinowski", u"Malinowska"}, {u"Jaworski", u"Jaworska"},
    {u"Adamczyk", u"Adamczyk"}, {u"Dudek", u"Dudek"}, {u"Nowicki", u"Nowicka"}, {u"Pawlak", u"Pawlak"},
    {u"Górski", u"Górska"}, {u"Witkowski", u"Witkowska"}, {u"Walczak", u"Walczak"}, {u"Sikora", u"Sikora"},
    {u"Baran", u"Baran"}, {u"Rutkowski", u"Rutkowska"}, {u"Michalak", u"Michalak"},
    {u"Szewczyk", u"Szewczyk"}, {u"Ostrowski", u"Ostrowska"}, {u"Tomaszewski", u"Tomaszewska"},
    {u"Pietrzak", u"Pietrzak"}, {u"Zalewski", u"Zalewska"}, {u"Wróblewski", u"Wróblewska"},
    {u"Jasiński", u"Jasińska"}, {u"Marciniak", u"Marciniak"}, {u"Bąk", u"Bąk"}, {u"Zawadzki", u"Zawadzka"},
    {u"Sadowski", u"Sadowska"}, {u"Duda", u"Duda"}, {u"Chmielewski", u"Chmielewska"},
    {u"Włodarczyk", u"Włodarczyk"}, {u"Borkowski", u"Borkowska"}, {u"Czarnecki", u"Czarnecka"},
    {u"Sawicki", u"Sawicka"}, {u"Sokołowski", u"Sokołowska"}, {u"Urbański", u"Urbańska"},
    {u"Kubiak", u"Kubiak"}, {u"Maciejewski", u"Maciejewska"}, {u"Szczepański", u"Szczepańska"},
    {u"Kucharski", u"Kucharska"}, {u"Wilk", u"Wilk"}, {u"Kalinowski", u"Kalinowska"}, {u"Lis", u"Lis"},
    {u"Mazurek", u"Mazurek"}, {u"Wysocki", u"Wysocka"}, {u"Adamski", u"Adamska"},
    {u"Kaźmierczak", u"Kaźmierczak"}, {u"Wasilewski", u"Wasilewska"}, {u"Sobczak", u"Sobczak"},
    {u"Czerwiński", u"Czerwińska"}, {u"Andrzejewski", u"Andrzejewska"}, {u"Cieślak", u"Cieślak"},
    {u"Głowacki", u"Głowacka"}, {u"Zakrzewski", u"Zakrzewska"}, {u"Kołodziej", u"Kołodziej"},
    {u"Sikorski", u"Sikorska"}, {u"Krajewski", u"Krajewska"}, {u"Gajewski", u"Gajewska"}, {u"Szulc", u"Szulc"},
    {u"Baranowski", u"Baranowska"}, {u"Laskowski", u"Laskowska"}, {u"Brzeziński", u"Brzezińska"},
    {u"Ziółkowski", u"Ziółkowska"}, {u"Przybylski", u"Przybylska"}, {u"Gołębiowski", u"Gołębiowska"},
    {u"Łuczak", u"Łuczak"}, {u"Żak", u"Żak"}, {u"Ćwik", u"Ćwik"}, {u"Śliwiński", u"Śliwińska"},
    {u"Bęben", u"Bęben"}, {u"Kuźma", u"Kuźma"},
};

constexpr QStringView kCzMaleFirstNames[] = {
    u"Jan", u"Petr", u"Tomáš", u"Martin", u"Jakub", u"Lukáš", u"Jiří", u"Pavel", u"Ondřej", u"Michal",
};
constexpr QStringView kCzFemaleFirstNames[] = {
    u"Jana", u"Lucie", u"Kateřina", u"Tereza", u"Eva", u"Petra", u"Veronika", u"Markéta", u"Hana", u"Barbora",
};
constexpr Surname kCzSurnames[] = {
    {u"Novák", u"Nováková"}, {u"Svoboda", u"Svobodová"}, {u"Novotný", u"Novotná"}, {u"Dvořák", u"Dvořáková"},
    {u"Černý", u"Černá"}, {u"Procházka", u"Procházková"}, {u"Kučera", u"Kučerová"}, {u"Veselý", u"Veselá"},
    {u"Horák", u"Horáková"}, {u"Němec", u"Němcová"}, {u"Pokorný", u"Pokorná"}, {u"Pospíšil", u"Pospíšilová"},
};

constexpr QStringView kCompanyStems[] = {
    u"Kowalex", u"Techbud", u"Agromax", u"Elmet", u"Drewpol", u"Budmat", u"Transpol", u"Medicus", u"Optimex",
    u"Polbox", u"Zielony Kącik", u"Złoty Kłos", u"Żuraw", u"Łąka", u"Świt", u"Gościniec", u"Ekobud",
    u"Dębowy Dwór", u"Mazur-Trans", u"Stal-Hurt", u"Bursztyn", u"Kwiatuszek", u"Wiślanka", u"Promyk",
};

// First three digits of a NIP: codes of real tax offices (Warszawa, Kraków, Poznań, Wrocław, ...).
constexpr int kNipOfficeCodes[] = {526, 527, 521, 951, 779, 676, 898, 584, 113, 118,
                                   701, 783, 954, 631, 894, 586, 852, 774, 813, 922};

constexpr QStringView kPlMobilePrefixes[] = {u"50", u"51", u"53", u"57", u"60", u"66",
                                             u"69", u"72", u"73", u"78", u"79", u"88"};
constexpr QStringView kCzMobilePrefixes[] = {u"60", u"72", u"73", u"77", u"79"};

constexpr QStringView kPickupDescriptions[] = {
    u"Przy sklepie Żabka", u"Stacja paliw Orlen", u"Obok wejścia do Biedronki", u"Parking przy Lidlu",
    u"Przy bloku nr 5, od strony ulicy", u"Galeria handlowa, wejście główne", u"Przy przychodni",
    u"Dworzec PKP, hala główna", u"Osiedle, obok placu zabaw", u"Przy poczcie",
};

constexpr QStringView kMessagesToSeller[] = {
    u"Proszę o staranne zapakowanie, to prezent.",
    u"Proszę o wysyłkę jeszcze dziś, z góry dziękuję!",
    u"Jeśli nie ma czarnego, może być granatowy.",
    u"Proszę nie dołączać paragonu – to prezent urodzinowy.",
    u"Kurier może zostawić paczkę u sąsiada pod nr 12.",
    u"Proszę dzwonić przed dostawą, domofon nie działa.",
    u"Czy mogę prosić o fakturę? Dane podałem w formularzu.",
    u"Proszę o dołączenie instrukcji w języku polskim.",
    u"Dzień dobry, czy da się wysłać w poniedziałek? Wcześniej mnie nie będzie.",
    u"Zamawiam drugi raz, poprzednio wszystko super :)",
    u"Proszę sprawdzić przed wysyłką, czy wszystko działa.",
    u"Rozmiar L zamiast M, jeśli to możliwe.",
    u"Proszę o kontakt mailowy w sprawie terminu dostawy.",
    u"Pilne – potrzebuję na piątek. Dziękuję!",
};

enum class Variants { None, ColorsF, ColorsPl, SizesF, SizesM, SizesPl, ShoesM, ShoesF };

struct Product
{
    QStringView name;
    QStringView skuPrefix;
    qint64 price; // grosze
    Variants variants;
    int weight; // how well it sells
};

constexpr Product kProducts[] = {
    // electronics
    {u"Słuchawki bezprzewodowe douszne Bluetooth 5.3 z etui ładującym", u"EL", 8999, Variants::None, 9},
    {u"Ładowarka sieciowa USB-C 65W GaN szybkie ładowanie", u"EL", 7999, Variants::None, 8},
    {u"Kabel USB-C – USB-C 2 m w oplocie 100W", u"EL", 2499, Variants::None, 10},
    {u"Powerbank 20000 mAh z wyświetlaczem LED i szybkim ładowaniem", u"EL", 9999, Variants::None, 6},
    {u"Mysz bezprzewodowa cicha 2,4 GHz ergonomiczna", u"EL", 4999, Variants::None, 5},
    {u"Klawiatura mechaniczna RGB przełączniki brązowe", u"EL", 18999, Variants::None, 3},
    {u"Etui silikonowe do iPhone 13 przezroczyste", u"EL", 1999, Variants::None, 7},
    {u"Szkło hartowane 9H do Samsung Galaxy A54 2 szt.", u"EL", 1499, Variants::None, 8},
    {u"Głośnik przenośny Bluetooth wodoodporny IPX7 20W", u"EL", 14999, Variants::None, 4},
    {u"Kamera Wi-Fi obrotowa 360° z noktowizją i detekcją ruchu", u"EL", 12999, Variants::None, 4},
    {u"Żarówka LED E27 12W ciepła biel 3000K 3 szt.", u"EL", 2999, Variants::None, 6},
    {u"Listwa zasilająca z wyłącznikiem 5 gniazd 3 m", u"EL", 3999, Variants::None, 4},
    {u"Uchwyt samochodowy na telefon magnetyczny do kratki", u"EL", 2999, Variants::None, 6},
    {u"Karta pamięci microSD 128 GB klasa 10 z adapterem", u"EL", 4999, Variants::None, 5},
    {u"Smartwatch damski z pomiarem tętna i SpO2 różowy", u"EL", 19999, Variants::None, 3},
    {u"Pendrive 64 GB USB 3.2 metalowy", u"EL", 3499, Variants::None, 4},
    {u"Hub USB-C 7w1 HDMI 4K czytnik kart SD", u"EL", 11999, Variants::None, 3},
    {u"Lampka biurkowa LED z ładowarką indukcyjną", u"EL", 13999, Variants::None, 2},
    {u"Taśma LED RGB 10 m z pilotem i aplikacją", u"EL", 5999, Variants::None, 4},
    {u"Router Wi-Fi 6 dwupasmowy AX1800", u"EL", 27999, Variants::None, 1},
    {u"Czytnik e-booków 6 cali z podświetleniem", u"EL", 49999, Variants::None, 1},
    // clothing
    {u"Bluza męska z kapturem bawełniana", u"OD", 12999, Variants::SizesF, 6},
    {u"Koszulka damska oversize z nadrukiem", u"OD", 4999, Variants::SizesF, 6},
    {u"Kurtka zimowa męska pikowana z kapturem", u"OD", 24999, Variants::SizesF, 3},
    {u"Spodnie dresowe damskie joggery", u"OD", 8999, Variants::SizesPl, 5},
    {u"Skarpety męskie bawełniane 10 par rozmiar 43-46", u"OD", 3999, Variants::None, 6},
    {u"Legginsy sportowe damskie wysoki stan push-up", u"OD", 6999, Variants::SizesPl, 5},
    {u"Piżama damska satynowa komplet z krótkim rękawem", u"OD", 7999, Variants::SizesF, 3},
    {u"Buty sportowe męskie do biegania lekkie", u"OD", 15999, Variants::ShoesM, 4},
    {u"Kapcie damskie futrzane ciepłe", u"OD", 4999, Variants::ShoesF, 4},
    {u"Czapka zimowa beanie z pomponem", u"OD", 2999, Variants::ColorsF, 5},
    {u"Rękawiczki zimowe dotykowe polarowe", u"OD", 2499, Variants::ColorsPl, 3},
    {u"Sukienka letnia midi w kwiaty z wiązaniem", u"OD", 11999, Variants::SizesF, 3},
    {u"Sweter męski z golfem wełniany", u"OD", 15999, Variants::SizesM, 2},
    {u"Kurtka przeciwdeszczowa damska z kapturem", u"OD", 17999, Variants::SizesF, 2},
    {u"Body niemowlęce bawełniane długi rękaw 5 szt. 68", u"OD", 5999, Variants::None, 3},
    // home
    {u"Pościel bawełniana 160x200 satyna 3 częściowa", u"DM", 11999, Variants::None, 5},
    {u"Patelnia granitowa 28 cm indukcja nieprzywierająca", u"DM", 8999, Variants::None, 5},
    {u"Zestaw garnków ze stali nierdzewnej 8 elementów", u"DM", 24999, Variants::None, 2},
    {u"Koc polarowy 150x200 miękki szary", u"DM", 3999, Variants::None, 5},
    {u"Ręcznik kąpielowy bawełniany 70x140 500 g/m²", u"DM", 2999, Variants::None, 5},
    {u"Organizer do szafy na ubrania 6 przegródek", u"DM", 2499, Variants::None, 4},
    {u"Doniczka ceramiczna z podstawką 16 cm biała", u"DM", 3499, Variants::None, 3},
    {u"Świeca zapachowa sojowa wanilia w szkle 200 g", u"DM", 2999, Variants::None, 4},
    {u"Czajnik elektryczny szklany z podświetleniem 1,7 l", u"DM", 9999, Variants::None, 3},
    {u"Mata łazienkowa antypoślizgowa 50x80 szara", u"DM", 3999, Variants::None, 3},
    {u"Wieszaki drewniane na ubrania 10 szt.", u"DM", 3999, Variants::None, 3},
    {u"Pojemniki na żywność szklane z pokrywką 5 szt.", u"DM", 6999, Variants::None, 4},
    {u"Zasłony zaciemniające 140x250 na przelotkach 2 szt.", u"DM", 8999, Variants::None, 2},
    {u"Deska do krojenia bambusowa zestaw 3 szt.", u"DM", 4999, Variants::None, 3},
    {u"Kubek termiczny 450 ml ze stali nierdzewnej", u"DM", 4499, Variants::None, 5},
    {u"Odkurzacz ręczny bezprzewodowy 2w1 z ładowarką", u"DM", 29999, Variants::None, 1},
    {u"Poduszka ortopedyczna z pianki memory 60x40", u"DM", 8999, Variants::None, 3},
    {u"Suszarka na pranie stojąca składana 18 m", u"DM", 11999, Variants::None, 2},
    // toys
    {u"Klocki konstrukcyjne Straż pożarna 520 elementów", u"ZB", 12999, Variants::None, 4},
    {u"Lalka z akcesoriami i domkiem dla lalek", u"ZB", 15999, Variants::None, 3},
    {u"Puzzle 1000 elementów Kraków Wawel", u"ZB", 4999, Variants::None, 4},
    {u"Samochód zdalnie sterowany terenowy 4x4 skala 1:16", u"ZB", 13999, Variants::None, 3},
    {u"Gra planszowa rodzinna ekonomiczna dla 2-6 graczy", u"ZB", 9999, Variants::None, 3},
    {u"Pluszowy miś 60 cm brązowy z kokardą", u"ZB", 7999, Variants::None, 3},
    {u"Zestaw kreatywny do robienia slime'ów 24 elementy", u"ZB", 5999, Variants::None, 3},
    {u"Drewniana kolejka z torami 50 elementów", u"ZB", 11999, Variants::None, 2},
    {u"Hulajnoga trójkołowa dla dzieci świecące kółka", u"ZB", 14999, Variants::None, 2},
    {u"Klocki magnetyczne 64 elementy dla dzieci 3+", u"ZB", 8999, Variants::None, 3},
    {u"Kuchnia dla dzieci z dźwiękiem i światłem", u"ZB", 24999, Variants::None, 1},
    {u"Dron z kamerą HD dla początkujących", u"ZB", 19999, Variants::None, 2},
    {u"Żyrafa interaktywna mówiąca po polsku", u"ZB", 6999, Variants::None, 2},
    {u"Kredki ołówkowe 48 kolorów w metalowym pudełku", u"ZB", 3999, Variants::None, 4},
};

// Colour adjectives agree with the noun: feminine (bluza), masculine (sweter), plural (spodnie).
constexpr QStringView kColorsF[] = {u"czarna", u"szara", u"granatowa", u"beżowa", u"zielona", u"bordowa"};
constexpr QStringView kColorsM[] = {u"czarny", u"szary", u"granatowy", u"beżowy", u"zielony", u"bordowy"};
constexpr QStringView kColorsPl[] = {u"czarne", u"szare", u"granatowe", u"beżowe", u"zielone", u"różowe"};
constexpr QStringView kSizes[] = {u"S", u"M", u"L", u"XL", u"XXL"};

enum class DeliveryKind { Locker, Box, Courier, Personal };

struct DeliveryMethod
{
    QStringView id;
    QStringView name;
    DeliveryKind kind;
    bool smartEligible;
    qint64 costs[3]; // grosze, PLN
    int weightPrepaid;
    int weightCod;
    int weightCz;
};

// Ids are fixed per method, as they are on Allegro; the values are made up.
constexpr DeliveryMethod kDeliveryMethods[] = {
    {u"91035bd3-187a-46ed-8bc9-6ab0d45d5be1", u"Allegro Paczkomaty InPost", DeliveryKind::Locker, true,
     {899, 1099, 1299}, 380, 0, 0},
    {u"65f107e9-2263-49d4-b76e-04b6b878716c", u"Allegro Paczkomaty InPost pobranie", DeliveryKind::Locker, true,
     {1299, 1499, 1699}, 0, 350, 0},
    {u"5051e055-e9dd-41f3-88d8-45f5a3fcedb5", u"Allegro Kurier DPD", DeliveryKind::Courier, true, {1399, 1599, 1899},
     140, 0, 50},
    {u"281d9c58-1cbe-4dd7-9269-3a2369698694", u"Allegro Kurier DPD pobranie", DeliveryKind::Courier, true,
     {1799, 1999, 2299}, 0, 200, 0},
    {u"f876009a-7c2c-403e-8d93-507e5d15a698", u"Allegro One Box", DeliveryKind::Box, true, {699, 899, 999}, 120, 0,
     50},
    {u"8b66fded-e5ff-481f-926f-62e67c4cb143", u"Allegro One Kurier", DeliveryKind::Courier, true, {1099, 1299, 1499},
     70, 0, 0},
    {u"e26338ff-218a-4458-b4c8-98afe0c35d69", u"Allegro Kurier Pocztex", DeliveryKind::Courier, true,
     {1199, 1399, 1599}, 60, 0, 0},
    {u"7b915d4f-987a-4f98-bd3f-f190f43c11dc", u"Kurier InPost", DeliveryKind::Courier, false, {1499, 1799, 1999}, 80,
     0, 0},
    {u"87b58b84-dc88-4930-a874-ffffa4283bcf", u"Kurier InPost pobranie", DeliveryKind::Courier, false,
     {1999, 2299, 2499}, 0, 350, 0},
    {u"1ba7336e-c6c6-4014-859b-30520a2faf46", u"Odbiór osobisty", DeliveryKind::Personal, false, {0, 0, 0}, 30, 0,
     0},
    {u"5af9b718-2ec6-4353-a973-25846f79c163", u"Odbiór osobisty – płatność przy odbiorze", DeliveryKind::Personal,
     false, {0, 0, 0}, 0, 100, 0},
};

// When people buy, by UTC hour: the evening peak in Poland is 19-22 local time.
constexpr int kHourWeights[24] = {3, 2, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 8, 8, 8, 9, 10, 11, 12, 12, 11, 8, 6, 4};

// clang-format on

// ---------------------------------------------------------------------------------------------------------------
// Randomness. Only the raw 64-bit engine output is used, never std::*_distribution, whose results differ
// between standard libraries.

class Dice
{
public:
    explicit Dice(std::mt19937_64 &engine)
        : m_engine(engine)
    {}

    quint64 bits() { return m_engine(); }
    // Uniform in [0, n); the modulo bias is below 2^-40 for the small n used here.
    qint64 below(qint64 n) { return qint64(m_engine() % quint64(n)); }
    qint64 range(qint64 lo, qint64 hi) { return lo + below(hi - lo + 1); }
    bool permille(int p) { return below(1000) < p; }

    template<typename T, std::size_t N>
    const T &pick(const T (&items)[N])
    {
        return items[below(qint64(N))];
    }

    template<typename T, std::size_t N, typename Weight>
    const T &pickWeighted(const T (&items)[N], Weight weightOf)
    {
        qint64 total = 0;
        for (const T &item : items)
            total += weightOf(item);
        qint64 r = below(total);
        for (const T &item : items) {
            r -= weightOf(item);
            if (r < 0)
                return item;
        }
        return items[N - 1];
    }

    template<typename T, std::size_t N>
    const T &pickWeighted(const T (&items)[N])
    {
        return pickWeighted(items, [](const T &item) { return item.weight; });
    }

private:
    std::mt19937_64 &m_engine;
};

// A 64-bit mix (splitmix64's finaliser) for values that must not depend on the seed, such as offer ids.
constexpr quint64 mix(quint64 x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

// ---------------------------------------------------------------------------------------------------------------
// Short texts on the stack (names, streets, logins): building a form allocates nothing but its JSON buffer.

struct Text
{
    static constexpr int kCapacity = 96; // longer input is cut; nothing in the tables comes near
    char16_t data[kCapacity] = {};
    int size = 0;

    QStringView view() const { return QStringView(data, size); }
    bool isEmpty() const { return size == 0; }
    Text &operator<<(char16_t c)
    {
        if (size < kCapacity)
            data[size++] = c;
        return *this;
    }
    Text &operator<<(QStringView text)
    {
        for (const QChar ch : text)
            *this << ch.unicode();
        return *this;
    }
    Text &number(qint64 value, int minDigits = 1)
    {
        char16_t digits[20];
        int n = 0;
        do {
            digits[n++] = char16_t(u'0' + value % 10);
            value /= 10;
        } while (value > 0 || n < minDigits);
        while (n > 0)
            *this << digits[--n];
        return *this;
    }
};

constexpr char kHexDigits[] = "0123456789abcdef";

void putHex(char *out, quint64 value, int digits)
{
    for (int i = digits - 1; i >= 0; --i) {
        out[i] = kHexDigits[value & 0xF];
        value >>= 4;
    }
}

void putDecimal(char *out, qint64 value, int digits)
{
    for (int i = digits - 1; i >= 0; --i) {
        out[i] = char('0' + value % 10);
        value /= 10;
    }
}

// Milliseconds since the epoch as "2024-05-17T18:03:07.123Z", 24 characters (civil-from-days, H. Hinnant).
void putIso(char *out, qint64 ms)
{
    qint64 days = ms / kMsPerDay;
    qint64 msOfDay = ms % kMsPerDay;
    if (msOfDay < 0) {
        msOfDay += kMsPerDay;
        --days;
    }
    const qint64 z = days + 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 dayOfEra = z - era * 146097;
    const qint64 yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const qint64 dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const qint64 mp = (5 * dayOfYear + 2) / 153;
    const qint64 day = dayOfYear - (153 * mp + 2) / 5 + 1;
    const qint64 month = mp < 10 ? mp + 3 : mp - 9;
    const qint64 year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

    putDecimal(out, year, 4);
    out[4] = '-';
    putDecimal(out + 5, month, 2);
    out[7] = '-';
    putDecimal(out + 8, day, 2);
    out[10] = 'T';
    putDecimal(out + 11, msOfDay / kMsPerHour, 2);
    out[13] = ':';
    putDecimal(out + 14, msOfDay / kMsPerMinute % 60, 2);
    out[16] = ':';
    putDecimal(out + 17, msOfDay / 1000 % 60, 2);
    out[19] = '.';
    putDecimal(out + 20, msOfDay % 1000, 3);
    out[23] = 'Z';
}

// "30-001" (PL) or "300 01" (CZ), 6 characters.
void putPostcode(char *out, int zip, bool czech)
{
    if (czech) {
        putDecimal(out, zip / 100, 3);
        out[3] = ' ';
        putDecimal(out + 4, zip % 100, 2);
    } else {
        putDecimal(out, zip / 1000, 2);
        out[2] = '-';
        putDecimal(out + 3, zip % 1000, 3);
    }
}

QString isoString(qint64 ms)
{
    char buffer[24];
    putIso(buffer, ms);
    return QString::fromLatin1(buffer, 24);
}

QString hexString(quint64 value, int digits)
{
    char buffer[16];
    putHex(buffer, value, digits);
    return QString::fromLatin1(buffer, digits);
}

// JSON text straight into one reused buffer. Qt's parser then builds the QJsonObject in one go, several times
// faster than inserting values one by one (each QJsonValue string is a heap-allocated container of its own).
class JsonWriter
{
public:
    explicit JsonWriter(QByteArray &storage)
        : m_storage(storage)
    {
        if (m_storage.size() < 16 * 1024)
            m_storage.resize(16 * 1024);
        m_begin = m_storage.data();
        m_pos = m_begin;
        m_end = m_begin + m_storage.size();
    }

    // What was written so far, without a copy; valid until the next write.
    QByteArray bytes() const { return QByteArray::fromRawData(m_begin, m_pos - m_begin); }

    void beginObject(const char *key = nullptr)
    {
        prefix(key);
        put('{');
        m_first[++m_depth] = true;
    }
    void endObject()
    {
        put('}');
        --m_depth;
    }
    void beginArray(const char *key = nullptr)
    {
        prefix(key);
        put('[');
        m_first[++m_depth] = true;
    }
    void endArray()
    {
        put(']');
        --m_depth;
    }

    void text(const char *key, QStringView value)
    {
        prefix(key);
        put('"');
        appendEscaped(value);
        put('"');
    }
    // A string value known to be plain ASCII without quotes or backslashes.
    void ascii(const char *key, const char *value, qsizetype size)
    {
        prefix(key);
        put('"');
        put(value, size);
        put('"');
    }
    void ascii(const char *key, const char *value) { ascii(key, value, qsizetype(qstrlen(value))); }
    void number(const char *key, qint64 value)
    {
        prefix(key);
        appendNumber(value);
    }
    // Allegro sends ids such as buyer.id and offer.id as numeric strings.
    void numericString(const char *key, qint64 value)
    {
        prefix(key);
        put('"');
        appendNumber(value);
        put('"');
    }
    void boolean(const char *key, bool value)
    {
        prefix(key);
        put(value ? "true" : "false");
    }
    void timestamp(const char *key, qint64 ms)
    {
        char buffer[24];
        putIso(buffer, ms);
        ascii(key, buffer, 24);
    }
    void postcode(const char *key, int zip, bool czech)
    {
        char buffer[6];
        putPostcode(buffer, zip, czech);
        ascii(key, buffer, 6);
    }
    void hex(const char *key, quint64 value, int digits)
    {
        char buffer[16];
        putHex(buffer, value, digits);
        ascii(key, buffer, digits);
    }
    void uuid(const char *key, Dice &dice)
    {
        quint64 hi = dice.bits();
        quint64 lo = dice.bits();
        hi = (hi & ~quint64(0xF000)) | 0x4000;                     // version 4
        lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL; // RFC 4122 variant
        char buffer[36];
        putHex(buffer, hi >> 32, 8);
        buffer[8] = '-';
        putHex(buffer + 9, hi >> 16, 4);
        buffer[13] = '-';
        putHex(buffer + 14, hi, 4);
        buffer[18] = '-';
        putHex(buffer + 19, lo >> 48, 4);
        buffer[23] = '-';
        putHex(buffer + 24, lo, 12);
        ascii(key, buffer, 36);
    }
    // {"amount":"123.45","currency":"PLN"}: grosze with always two decimals, never a floating-point number.
    void price(const char *key, qint64 minor, const char *currency)
    {
        char buffer[24];
        int pos = 24;
        const bool negative = minor < 0;
        quint64 value = negative ? quint64(0) - quint64(minor) : quint64(minor);
        for (int i = 0; i < 2; ++i) {
            buffer[--pos] = char('0' + value % 10);
            value /= 10;
        }
        buffer[--pos] = '.';
        do {
            buffer[--pos] = char('0' + value % 10);
            value /= 10;
        } while (value != 0);
        if (negative)
            buffer[--pos] = '-';
        beginObject(key);
        ascii("amount", buffer + pos, 24 - pos);
        ascii("currency", currency, 3);
        endObject();
    }

private:
    void prefix(const char *key)
    {
        if (!m_first[m_depth])
            put(',');
        m_first[m_depth] = false;
        if (key) {
            put('"');
            put(key);
            put("\":");
        }
    }

    void appendNumber(qint64 value)
    {
        char buffer[24];
        int pos = 24;
        quint64 magnitude = value < 0 ? quint64(0) - quint64(value) : quint64(value);
        do {
            buffer[--pos] = char('0' + magnitude % 10);
            magnitude /= 10;
        } while (magnitude != 0);
        if (value < 0)
            buffer[--pos] = '-';
        put(buffer + pos, 24 - pos);
    }

    // UTF-16 to UTF-8 with JSON escapes.
    void appendEscaped(QStringView text)
    {
        reserve(6 * text.size()); // the worst case, a control character as \u00XX
        for (qsizetype i = 0; i < text.size(); ++i) {
            const char32_t c = text[i].unicode();
            if (c < 0x80) {
                if (c == u'"' || c == u'\\') {
                    put('\\');
                    put(char(c));
                } else if (c < 0x20) {
                    char escape[6] = {'\\', 'u', '0', '0', kHexDigits[c >> 4], kHexDigits[c & 0xF]};
                    put(escape, 6);
                } else {
                    put(char(c));
                }
            } else if (c < 0x800) {
                put(char(0xC0 | (c >> 6)));
                put(char(0x80 | (c & 0x3F)));
            } else if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
                const char32_t code = QChar::surrogateToUcs4(char16_t(c), text[++i].unicode());
                put(char(0xF0 | (code >> 18)));
                put(char(0x80 | ((code >> 12) & 0x3F)));
                put(char(0x80 | ((code >> 6) & 0x3F)));
                put(char(0x80 | (code & 0x3F)));
            } else {
                put(char(0xE0 | (c >> 12)));
                put(char(0x80 | ((c >> 6) & 0x3F)));
                put(char(0x80 | (c & 0x3F)));
            }
        }
    }

    void reserve(qsizetype n)
    {
        if (m_end - m_pos >= n)
            return;
        const qsizetype used = m_pos - m_begin;
        m_storage.resize(qMax(2 * m_storage.size(), used + n));
        m_begin = m_storage.data();
        m_pos = m_begin + used;
        m_end = m_begin + m_storage.size();
    }
    void put(char c)
    {
        reserve(1);
        *m_pos++ = c;
    }
    void put(const char *data, qsizetype size)
    {
        reserve(size);
        std::memcpy(m_pos, data, std::size_t(size));
        m_pos += size;
    }
    void put(const char *text) { put(text, qsizetype(qstrlen(text))); }

    // Written through raw pointers: QByteArray's append is several times slower per character.
    QByteArray &m_storage;
    char *m_begin = nullptr;
    char *m_pos = nullptr;
    char *m_end = nullptr;
    int m_depth = 0;
    bool m_first[16] = {true};
};

// Polish and Czech letters folded to ASCII, for logins.
char16_t foldToAscii(char16_t c)
{
    constexpr QStringView kAccented = u"ąáćčęéěłńňóśšźżžďířťúůýĄÁĆČĘÉŁŃÓŚŠŹŻŽŘ";
    constexpr QStringView kPlain = u"aacceeelnnosszzzdirtuuyAACCEELNOSSZZZR";
    static_assert(kAccented.size() == kPlain.size());
    if (c < 0x80)
        return c;
    const qsizetype at = kAccented.indexOf(QChar(c));
    return at < 0 ? c : kPlain[at].unicode();
}

// Appends the letters and digits of text as ASCII; spaces, dots and dashes are dropped.
void appendLoginPart(Text &out, QStringView text, bool lower)
{
    for (const QChar ch : text) {
        const char16_t c = foldToAscii(ch.unicode());
        if (c >= u'A' && c <= u'Z')
            out << (lower ? char16_t(c + (u'a' - u'A')) : c);
        else if ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9'))
            out << c;
    }
}

// ---------------------------------------------------------------------------------------------------------------
// People and places

struct Market
{
    const char *id;
    const char *currency;
    const char *countryCode;
    bool czech;
};

constexpr Market kPoland{"allegro-pl", "PLN", "PL", false};
constexpr Market kCzechia{"allegro-cz", "CZK", "CZ", true};

struct Person
{
    QStringView firstName;
    QStringView lastName;
};

Person makePerson(Dice &dice, bool czech)
{
    const bool female = dice.permille(550);
    const Surname &surname = czech ? dice.pick(kCzSurnames) : dice.pick(kPlSurnames);
    if (czech)
        return {female ? dice.pick(kCzFemaleFirstNames) : dice.pick(kCzMaleFirstNames),
                female ? surname.female : surname.male};
    return {female ? dice.pick(kPlFemaleFirstNames) : dice.pick(kPlMaleFirstNames),
            female ? surname.female : surname.male};
}

struct Place
{
    const City *city = nullptr;
    int zip = 0;
    Text street;
};

const City &pickCity(Dice &dice, bool czech)
{
    return czech ? dice.pickWeighted(kCzCities) : dice.pickWeighted(kPlCities);
}

Place placeIn(Dice &dice, const City &city, bool czech, bool withFlat = true)
{
    Place place;
    place.city = &city;
    place.zip = int(dice.range(city.zipLo, city.zipHi));
    if (!czech && place.zip % 1000 == 0)
        ++place.zip; // "30-000" is not a delivery postcode
    Text &line = place.street;
    line << (czech ? dice.pick(kCzStreets) : dice.pick(kPlStreets)) << u' ';
    if (czech) {
        // Czech addresses carry the registry and the street number: "Husova 512/14".
        line.number(dice.range(100, 2999)) << u'/';
        line.number(dice.range(1, 80));
        return place;
    }
    // Mostly low house numbers, some with a letter, about half with a flat number: "Długa 12A/4".
    line.number(dice.permille(700) ? dice.range(1, 40) : dice.range(41, 220));
    if (dice.permille(80))
        line << char16_t(u'A' + dice.below(3));
    if (withFlat && dice.permille(450)) {
        line << u'/';
        line.number(dice.range(1, 120));
    }
    return place;
}

const City *findCity(QStringView name, bool czech)
{
    if (czech) {
        for (const City &city : kCzCities) {
            if (city.name == name)
                return &city;
        }
        return nullptr;
    }
    for (const City &city : kPlCities) {
        if (city.name == name)
            return &city;
    }
    return nullptr;
}

// "+48 601 234 567", "601234567" or "+48601234567" (and the Czech equivalents): buyers type all of them.
Text phoneNumber(Dice &dice, bool czech)
{
    const QStringView prefix = czech ? dice.pick(kCzMobilePrefixes) : dice.pick(kPlMobilePrefixes);
    char16_t digits[9];
    digits[0] = prefix[0].unicode();
    digits[1] = prefix[1].unicode();
    for (int i = 2; i < 9; ++i)
        digits[i] = char16_t(u'0' + dice.below(10));
    const QStringView national(digits, 9);
    const QStringView country = czech ? QStringView(u"+420") : QStringView(u"+48");
    Text phone;
    const qint64 style = dice.below(100);
    if (style < 40)
        phone << country << u' ' << national.first(3) << u' ' << national.sliced(3, 3) << u' ' << national.sliced(6);
    else if (style < 85)
        phone << national;
    else
        phone << country << national;
    return phone;
}

// Allegro hides the buyer's address behind a relay: "<10 letters/digits>+<10 hex>@allegromail.pl".
Text maskedEmail(Dice &dice)
{
    constexpr char16_t kAlnum[] = u"abcdefghijklmnopqrstuvwxyz0123456789";
    Text email;
    for (int i = 0; i < 10; ++i)
        email << kAlnum[dice.below(36)];
    email << u'+';
    const quint64 tag = dice.bits();
    for (int shift = 36; shift >= 0; shift -= 4)
        email << char16_t(kHexDigits[(tag >> shift) & 0xF]);
    email << u"@allegromail.pl";
    return email;
}

Text login(Dice &dice, const Person &person, QStringView companyStem)
{
    Text out;
    if (!companyStem.isEmpty()) {
        appendLoginPart(out, companyStem, dice.permille(600));
        constexpr QStringView kSuffixes[] = {u"", u"_pl", u"_sklep", u"24", u"_hurt"};
        out << dice.pick(kSuffixes);
        return out;
    }
    switch (dice.below(6)) {
    case 0:
        appendLoginPart(out, person.firstName, true);
        out << u'_';
        appendLoginPart(out, person.lastName, true);
        break;
    case 1:
        appendLoginPart(out, person.firstName, false);
        appendLoginPart(out, person.lastName, false);
        out.number(dice.range(10, 99));
        break;
    case 2:
        appendLoginPart(out, person.firstName, true);
        out.number(dice.range(60, 99));
        break;
    case 3:
        appendLoginPart(out, person.firstName.first(1), true);
        appendLoginPart(out, person.lastName, true);
        out.number(dice.range(1, 999));
        break;
    case 4:
        appendLoginPart(out, person.lastName, true);
        out << u'-';
        appendLoginPart(out, person.firstName, true);
        break;
    default:
        appendLoginPart(out, person.lastName, true);
        out.number(dice.range(1960, 2006));
        break;
    }
    return out;
}

Text companyName(Dice &dice, QStringView stem, const Person &owner)
{
    Text name;
    const qint64 form = dice.below(20);
    if (form < 8)
        name << stem << u" Sp. z o.o.";
    else if (form < 10)
        name << stem << u" s.c.";
    else if (form < 11)
        name << stem << u" S.A.";
    else if (form < 16)
        name << u"PHU " << stem << u' ' << owner.firstName << u' ' << owner.lastName;
    else if (form < 18)
        name << u"Firma Handlowo-Usługowa " << owner.firstName << u' ' << owner.lastName;
    else
        name << owner.lastName << u" i Wspólnicy Sp. j.";
    return name;
}

// A NIP with a valid checksum: weights 6 5 7 2 3 4 5 6 7, sum mod 11; a result of 10 is never issued.
Text nip(Dice &dice)
{
    constexpr int kWeights[9] = {6, 5, 7, 2, 3, 4, 5, 6, 7};
    for (;;) {
        int digits[10];
        const int office = dice.pick(kNipOfficeCodes);
        digits[0] = office / 100;
        digits[1] = office / 10 % 10;
        digits[2] = office % 10;
        for (int i = 3; i < 9; ++i)
            digits[i] = int(dice.below(10));
        int sum = 0;
        for (int i = 0; i < 9; ++i)
            sum += digits[i] * kWeights[i];
        if (sum % 11 == 10)
            continue;
        digits[9] = sum % 11;
        Text text;
        for (const int digit : digits)
            text << char16_t(u'0' + digit);
        return text;
    }
}

// Everything about a buyer that stays the same when they come back for another purchase.
struct Buyer
{
    qint64 id = 0;
    Text email;
    Text login;
    Text phone;
    Text company; // empty for a private person
    Person person;
    Place home;
    bool guest = false;
    bool sharesPhone = true; // phoneNumber is in the buyer object
    QStringView language;
    // Invoice data a company keeps on file.
    Place office;
    Text nip;
    QStringView vatStatus;
};

quint64 fingerprint(QStringView text)
{
    quint64 hash = 0xCBF29CE484222325ULL; // FNV-1a
    for (const QChar ch : text)
        hash = (hash ^ ch.unicode()) * 0x100000001B3ULL;
    return hash;
}

// Buyer ids and logins are unique on Allegro, so they are unique here too: an id is a bijection of a running number
// (an odd multiplier modulo 2^27), and a login that is taken gets more digits.
Buyer makeBuyer(Dice &dice, bool czech, quint64 number, std::unordered_set<quint64> &usedLogins)
{
    Buyer buyer;
    buyer.person = makePerson(dice, czech);
    const bool company = !czech && dice.permille(150);
    const QStringView stem = company ? dice.pick(kCompanyStems) : QStringView();
    if (company)
        buyer.company = companyName(dice, stem, buyer.person);
    buyer.home = placeIn(dice, pickCity(dice, czech), czech);
    buyer.phone = phoneNumber(dice, czech);
    buyer.sharesPhone = dice.permille(900);
    buyer.guest = dice.permille(40);
    const qint64 language = dice.below(100);
    buyer.language = czech ? u"cs-CZ" : (language < 97 ? u"pl-PL" : (language < 99 ? u"uk-UA" : u"en-US"));
    buyer.id = 10'000'000 + qint64((number * 0x9E3779B1ULL) & ((quint64(1) << 27) - 1));
    buyer.email = maskedEmail(dice);
    buyer.login = login(dice, buyer.person, stem);
    while (!usedLogins.insert(fingerprint(buyer.login.view())).second)
        buyer.login << char16_t(u'0' + dice.below(10));
    if (company) {
        // The registered office is often somewhere else than where the goods go.
        buyer.office = dice.permille(400) ? placeIn(dice, pickCity(dice, false), false) : buyer.home;
        buyer.nip = nip(dice);
        const qint64 vat = dice.below(100);
        buyer.vatStatus = vat < 75 ? u"ACTIVE" : (vat < 85 ? u"NON_ACTIVE" : u"NOT_APPLICABLE");
    }
    return buyer;
}

// street, city, zip and country of a place, into the object being written.
void writePlace(JsonWriter &w, const Place &place, const Market &market, const char *zipKey = "zipCode")
{
    w.text("street", place.street.view());
    w.text("city", place.city->name);
    w.postcode(zipKey, place.zip, market.czech);
    w.ascii("countryCode", market.countryCode, 2);
}

void writeBuyer(JsonWriter &w, const Buyer &buyer, const Market &market)
{
    w.beginObject("buyer");
    w.numericString("id", buyer.id);
    w.text("email", buyer.email.view());
    w.text("login", buyer.login.view());
    w.text("firstName", buyer.person.firstName);
    w.text("lastName", buyer.person.lastName);
    w.boolean("guest", buyer.guest);
    if (!buyer.company.isEmpty())
        w.text("companyName", buyer.company.view());
    if (buyer.sharesPhone)
        w.text("phoneNumber", buyer.phone.view());
    w.beginObject("preferences");
    w.text("language", buyer.language);
    w.endObject();
    if (!buyer.guest) {
        w.beginObject("address");
        writePlace(w, buyer.home, market, "postCode");
        w.endObject();
    }
    w.endObject();
}

void writeDeliveryAddress(JsonWriter &w, const Person &person, const Place &place, const Market &market,
                          QStringView company, QStringView phone)
{
    w.beginObject("address");
    w.text("firstName", person.firstName);
    w.text("lastName", person.lastName);
    writePlace(w, place, market);
    if (!company.isEmpty())
        w.text("companyName", company);
    w.text("phoneNumber", phone);
    w.endObject();
}

void writePickupPoint(JsonWriter &w, Dice &dice, const City &city, DeliveryKind kind, const Market &market)
{
    Text id;
    Text name;
    if (kind == DeliveryKind::Locker) {
        constexpr char16_t kSuffixes[] = u"MANBP";
        id << city.code;
        id.number(dice.range(1, 99), 2) << kSuffixes[dice.below(5)]; // "KRA01M"
        name << u"Paczkomat " << id.view();
    } else {
        id << u"AOB" << city.code;
        id.number(dice.range(1, 999), 3);
        name << u"Allegro One Box " << id.view();
    }
    w.beginObject("pickupPoint");
    w.text("id", id.view());
    w.text("name", name.view());
    w.text("description", dice.pick(kPickupDescriptions));
    w.beginObject("address");
    writePlace(w, placeIn(dice, city, market.czech, false), market);
    w.endObject();
    w.endObject();
}

// Seller status of a paid order, by its age and how it travels.
QStringView fulfillmentStatus(Dice &dice, qint64 ageMs, DeliveryKind kind)
{
    const bool personal = kind == DeliveryKind::Personal;
    const qint64 r = dice.below(100);
    if (ageMs < kMsPerDay) {
        if (r < 55)
            return u"NEW";
        if (r < 85)
            return u"PROCESSING";
        if (r < 95)
            return personal ? u"READY_FOR_PICKUP" : u"READY_FOR_SHIPMENT";
        return personal ? u"PICKED_UP" : u"SENT";
    }
    if (ageMs < 3 * kMsPerDay) {
        if (r < 15)
            return u"NEW";
        if (r < 35)
            return u"PROCESSING";
        if (r < 50)
            return personal ? u"READY_FOR_PICKUP" : u"READY_FOR_SHIPMENT";
        return personal ? u"PICKED_UP" : u"SENT";
    }
    if (r < 2)
        return u"NEW";
    if (r < 3)
        return u"SUSPENDED";
    if (r < 5)
        return u"CANCELLED";
    if (r < 8)
        return u"RETURNED";
    return personal ? u"PICKED_UP" : u"SENT";
}

qint64 startOfDay(qint64 ms)
{
    const qint64 day = ms / kMsPerDay - (ms % kMsPerDay < 0 ? 1 : 0);
    return day * kMsPerDay;
}

} // namespace

struct CheckoutFormGenerator::Private
{
    Private(quint64 seed, qint64 nowMs)
        : rng(seed)
        , nowMs(nowMs)
        , buyersMade(rng()) // where this profile's buyer ids start
    {
        knownBuyers.reserve(kKnownBuyers);
    }

    std::mt19937_64 rng;
    qint64 nowMs;
    // Recent buyers who may come back: a real shop sees the same people more than once.
    std::vector<Buyer> knownBuyers;
    std::size_t nextKnownSlot = 0;
    quint64 buyersMade = 0;
    std::unordered_set<quint64> usedLogins;
    QByteArray json; // reused for every form
};

CheckoutFormGenerator::CheckoutFormGenerator(quint64 seed, QDateTime now)
    : d(std::make_unique<Private>(seed, now.toMSecsSinceEpoch()))
{}

CheckoutFormGenerator::~CheckoutFormGenerator() = default;
CheckoutFormGenerator::CheckoutFormGenerator(CheckoutFormGenerator &&) noexcept = default;
CheckoutFormGenerator &CheckoutFormGenerator::operator=(CheckoutFormGenerator &&) noexcept = default;

QJsonObject CheckoutFormGenerator::next()
{
    Dice dice(d->rng);
    const qint64 now = d->nowMs;

    const bool czech = dice.permille(25);
    const Market &market = czech ? kCzechia : kPoland;

    // When: a day in the last 60, an hour weighted towards the evening. Today's future hours move to yesterday.
    const qint64 earliest = now - kHistoryDays * kMsPerDay;
    qint64 boughtAt = startOfDay(now) - dice.below(kHistoryDays) * kMsPerDay;
    boughtAt += qint64(&dice.pickWeighted(kHourWeights, [](int w) { return w; }) - kHourWeights) * kMsPerHour;
    boughtAt += dice.below(kMsPerHour);
    if (boughtAt > now)
        boughtAt -= kMsPerDay;
    const qint64 ageMs = now - boughtAt;

    // How the buyer pays, and how far the purchase got.
    enum class Pay { Online, CashOnDelivery, WireTransfer };
    Pay pay = Pay::Online;
    if (!czech) {
        const qint64 r = dice.below(1000);
        pay = r < 100 ? Pay::CashOnDelivery : (r < 140 ? Pay::WireTransfer : Pay::Online);
    }
    QStringView status = u"READY_FOR_PROCESSING";
    if (pay == Pay::Online && ageMs < 7 * kMsPerDay) {
        // Unpaid purchases stay open for a few days only.
        const qint64 r = dice.below(1000);
        if (r < 60)
            status = u"BOUGHT";
        else if (r < 160)
            status = u"FILLED_IN";
    }
    if (status == u"READY_FOR_PROCESSING" && dice.permille(30))
        status = u"CANCELLED";
    const bool filledIn = status != u"BOUGHT";
    const bool cancelled = status == u"CANCELLED";
    const bool paid = pay == Pay::Online && status == u"READY_FOR_PROCESSING";

    // Who: a returning buyer (same account, same address) or a new one.
    const bool returning = !czech && !d->knownBuyers.empty() && dice.permille(100);
    const Buyer buyer = returning ? d->knownBuyers[std::size_t(dice.below(qint64(d->knownBuyers.size())))]
                                  : makeBuyer(dice, czech, d->buyersMade++, d->usedLogins);
    const bool company = !buyer.company.isEmpty();
    if (!returning && !czech && filledIn) {
        if (d->knownBuyers.size() < kKnownBuyers)
            d->knownBuyers.push_back(buyer);
        else
            d->knownBuyers[d->nextKnownSlot] = buyer;
        d->nextKnownSlot = (d->nextKnownSlot + 1) % kKnownBuyers;
    }

    JsonWriter w(d->json);
    w.beginObject();
    w.uuid("id", dice);
    writeBuyer(w, buyer, market);

    // What: 1-4 different offers of the seller's catalogue, best sellers more often.
    const qint64 lineRoll = dice.below(1000);
    const int lineCount = lineRoll < 700 ? 1 : (lineRoll < 890 ? 2 : (lineRoll < 965 ? 3 : 4));
    qint64 itemsTotal = 0;
    int pieces = 0;
    const Product *chosen[4] = {};
    w.beginArray("lineItems");
    for (int i = 0; i < lineCount; ++i) {
        const Product *product = &dice.pickWeighted(kProducts);
        for (int j = 0; j < i; ++j) {
            if (chosen[j] == product) {
                product = &dice.pickWeighted(kProducts);
                j = -1;
            }
        }
        chosen[i] = product;
        const quint64 productIndex = quint64(product - kProducts);

        Text name;
        name << product->name;
        int variant = 0;
        const auto addColorAndSize = [&](const QStringView(&colors)[6], bool withSize) {
            const int color = int(dice.below(6));
            const int size = withSize ? int(dice.below(5)) : 0;
            variant = color * 8 + size;
            name << u' ' << colors[color];
            if (withSize)
                name << u' ' << kSizes[size];
        };
        switch (product->variants) {
        case Variants::None:
            break;
        case Variants::ColorsF:
            addColorAndSize(kColorsF, false);
            break;
        case Variants::ColorsPl:
            addColorAndSize(kColorsPl, false);
            break;
        case Variants::SizesF:
            addColorAndSize(kColorsF, true);
            break;
        case Variants::SizesM:
            addColorAndSize(kColorsM, true);
            break;
        case Variants::SizesPl:
            addColorAndSize(kColorsPl, true);
            break;
        case Variants::ShoesM:
        case Variants::ShoesF: {
            const int color = int(dice.below(6));
            const int shoeSize = int(product->variants == Variants::ShoesM ? dice.range(40, 46) : dice.range(36, 41));
            variant = color * 64 + shoeSize;
            name << u' ' << kColorsPl[color] << u' ';
            name.number(shoeSize);
            break;
        }
        }

        qint64 originalPrice = product->price;
        if (czech)
            originalPrice = (originalPrice * 6 + 50) / 100 * 100; // whole crowns, about six per zloty
        const qint64 quantityRoll = dice.below(1000);
        const int quantity = quantityRoll < 780 ? 1 : (quantityRoll < 940 ? 2 : 3);
        qint64 unitPrice = originalPrice;
        QStringView discountType;
        if (dice.permille(70)) {
            unitPrice = originalPrice - originalPrice * dice.range(5, 30) / 100;
            if (quantity > 1 && dice.permille(400))
                discountType = u"UNIT_PERCENTAGE_DISCOUNT";
            else if (company && dice.permille(300))
                discountType = u"WHOLESALE_PRICE_LIST";
            else
                discountType = dice.permille(600) ? u"CAMPAIGN" : u"COUPON";
        }
        itemsTotal += unitPrice * quantity;
        pieces += quantity;

        // A cart is bought at once; now and then an earlier purchase was paid together with it.
        qint64 itemBoughtAt = boughtAt;
        if (i > 0 && dice.permille(150))
            itemBoughtAt = qMax(earliest + 1, boughtAt - dice.range(1, 40) * kMsPerMinute - dice.below(60'000));

        w.beginObject();
        w.uuid("id", dice);
        w.beginObject("offer");
        // Offer ids and SKUs belong to the catalogue, not to the seed: every profile sells the same offers.
        const quint64 offerHash = mix(productIndex * 1024 + quint64(variant));
        w.numericString("id", 10'000'000'000LL + qint64(offerHash % 4'000'000'000ULL));
        w.text("name", name.view());
        if (mix(productIndex) % 100 >= 8) {
            Text sku;
            sku << product->skuPrefix << u'-';
            sku.number(qint64(100'000 + (offerHash >> 40) % 900'000));
            w.beginObject("external");
            w.text("id", sku.view());
            w.endObject();
        }
        w.endObject();
        w.number("quantity", quantity);
        w.price("originalPrice", originalPrice, market.currency);
        w.price("price", unitPrice, market.currency);
        w.timestamp("boughtAt", itemBoughtAt);
        if (!discountType.isEmpty()) {
            w.beginArray("discounts");
            w.beginObject();
            w.text("type", discountType);
            w.endObject();
            w.endArray();
        }
        if (!czech && mix(productIndex + 77) % 3 != 0) {
            w.beginObject("tax");
            w.ascii("rate", "23.00");
            w.ascii("subject", "GOODS");
            w.endObject();
        }
        w.endObject();
    }
    w.endArray();

    // How it travels and what that costs; Allegro Smart makes prepaid delivery free from 45 zł.
    const DeliveryMethod &method =
        czech ? dice.pickWeighted(kDeliveryMethods, [](const DeliveryMethod &m) { return m.weightCz; })
              : (pay == Pay::CashOnDelivery
                     ? dice.pickWeighted(kDeliveryMethods, [](const DeliveryMethod &m) { return m.weightCod; })
                     : dice.pickWeighted(kDeliveryMethods, [](const DeliveryMethod &m) { return m.weightPrepaid; }));
    qint64 deliveryCost = dice.pick(method.costs);
    if (czech)
        deliveryCost = deliveryCost * 6 / 100 * 100;
    const bool smart =
        !czech && pay != Pay::CashOnDelivery && method.smartEligible && itemsTotal >= 4500 && dice.permille(550);
    if (smart)
        deliveryCost = 0;
    // Rarely the seller asked for a surcharge (a pricier parcel), paid on top of the first payment.
    const qint64 surcharge =
        paid && !czech && method.kind != DeliveryKind::Personal && dice.permille(5) ? dice.range(3, 15) * 100 : 0;
    deliveryCost += surcharge;
    const qint64 totalToPay = itemsTotal + deliveryCost;

    // Timeline, never later than now.
    const qint64 filledAt = qMin(now, boughtAt + dice.range(20'000, 10 * kMsPerMinute));
    const qint64 finishedAt = qMin(now, filledAt + dice.range(15'000, 12 * kMsPerMinute));
    qint64 updatedAt = boughtAt;
    if (cancelled)
        updatedAt = boughtAt + dice.range(kMsPerHour, 3 * kMsPerDay);
    else if (paid)
        updatedAt = finishedAt + dice.range(200, 3000);
    else if (filledIn)
        updatedAt = filledAt;
    updatedAt = qMin(now, updatedAt);

    w.beginObject("payment");
    w.uuid("id", dice);
    const char *provider = dice.permille(450) ? "P24" : "PAYU";
    switch (pay) {
    case Pay::Online:
        w.ascii("type", "ONLINE");
        if (filledIn)
            w.ascii("provider", provider);
        if (paid) {
            w.timestamp("finishedAt", finishedAt);
            w.price("paidAmount", totalToPay - surcharge, market.currency);
            if (!czech && dice.permille(80)) {
                w.beginArray("features");
                w.ascii(nullptr, "ALLEGRO_PAY");
                w.endArray();
            }
        }
        break;
    case Pay::CashOnDelivery:
        w.ascii("type", "CASH_ON_DELIVERY");
        break;
    case Pay::WireTransfer:
        w.ascii("type", "WIRE_TRANSFER");
        break;
    }
    w.endObject();

    w.beginArray("surcharges");
    if (surcharge > 0) {
        const qint64 surchargePaidAt = qMin(now, finishedAt + dice.range(kMsPerHour, kMsPerDay));
        updatedAt = qMax(updatedAt, surchargePaidAt);
        w.beginObject();
        w.uuid("id", dice);
        w.ascii("type", "ONLINE");
        w.ascii("provider", provider);
        w.timestamp("finishedAt", surchargePaidAt);
        w.price("paidAmount", surcharge, market.currency);
        w.endObject();
    }
    w.endArray();

    w.text("status", status);

    QStringView fulfillment = u"NEW";
    if (cancelled)
        fulfillment = dice.permille(700) ? u"CANCELLED" : u"NEW";
    else if (status == u"READY_FOR_PROCESSING")
        fulfillment = fulfillmentStatus(dice, ageMs, method.kind);
    QStringView sent = u"NONE";
    if (fulfillment == u"SENT" || fulfillment == u"PICKED_UP" || fulfillment == u"RETURNED")
        sent = u"ALL";
    else if (lineCount > 1 && (fulfillment == u"PROCESSING" || fulfillment == u"READY_FOR_SHIPMENT") &&
             dice.permille(50))
        sent = u"SOME";
    w.beginObject("fulfillment");
    w.text("status", fulfillment);
    w.beginObject("shipmentSummary");
    w.text("lineItemsSent", sent);
    w.endObject();
    w.beginObject("provider");
    w.ascii("id", dice.permille(20) ? "ALLEGRO" : "SELLER");
    w.endObject();
    w.endObject();

    w.beginObject("delivery");
    w.beginObject("method");
    w.text("id", method.id);
    w.text("name", method.name);
    w.endObject();
    w.price("cost", deliveryCost, market.currency);
    w.boolean("smart", smart);
    w.number("calculatedNumberOfPackages", pieces >= 5 && method.kind == DeliveryKind::Courier ? 2 : 1);
    if (filledIn) {
        const City *receiverCity = buyer.home.city;
        if (!returning && dice.permille(80)) {
            // A gift or a parcel sent to work: someone else, somewhere else.
            const Person receiver = makePerson(dice, czech);
            const Place place = placeIn(dice, pickCity(dice, czech), czech);
            writeDeliveryAddress(w, receiver, place, market, QStringView(), phoneNumber(dice, czech).view());
            receiverCity = place.city;
        } else {
            writeDeliveryAddress(w, buyer.person, buyer.home, market, buyer.company.view(), buyer.phone.view());
        }
        if (method.kind == DeliveryKind::Locker || method.kind == DeliveryKind::Box) {
            const City &pointCity = dice.permille(900) ? *receiverCity : pickCity(dice, czech);
            writePickupPoint(w, dice, pointCity, method.kind, market);
        }
        if (method.kind != DeliveryKind::Personal) {
            const qint64 dispatchBy = startOfDay(boughtAt) + kMsPerDay + 15 * kMsPerHour;
            const qint64 deliveryFrom = startOfDay(dispatchBy) + kMsPerDay + 7 * kMsPerHour;
            const qint64 deliveryTo =
                deliveryFrom + (method.kind == DeliveryKind::Courier ? 2 : 1) * kMsPerDay + 11 * kMsPerHour;
            w.beginObject("time");
            w.timestamp("from", deliveryFrom);
            w.timestamp("to", deliveryTo);
            w.beginObject("dispatch");
            w.timestamp("from", boughtAt);
            w.timestamp("to", dispatchBy);
            w.endObject();
            w.endObject();
        }
    }
    w.endObject();

    w.beginObject("invoice");
    const bool companyInvoice = filledIn && company && dice.permille(900);
    const bool personalInvoice = filledIn && !czech && !company && dice.permille(120);
    w.boolean("required", companyInvoice || personalInvoice);
    if (companyInvoice) {
        w.beginObject("address");
        writePlace(w, buyer.office, market);
        w.beginObject("company");
        w.text("name", buyer.company.view());
        w.beginArray("ids");
        w.beginObject();
        w.ascii("type", "PL_NIP");
        w.text("value", buyer.nip.view());
        w.endObject();
        w.endArray();
        w.text("vatPayerStatus", buyer.vatStatus);
        w.text("taxId", buyer.nip.view());
        w.endObject();
        w.endObject();
    } else if (personalInvoice) {
        w.beginObject("address");
        writePlace(w, buyer.home, market);
        w.beginObject("naturalPerson");
        w.text("firstName", buyer.person.firstName);
        w.text("lastName", buyer.person.lastName);
        w.endObject();
        w.endObject();
    }
    w.endObject();

    if (filledIn && !czech && dice.permille(120))
        w.text("messageToSeller", dice.pick(kMessagesToSeller));
    w.beginObject("marketplace");
    w.ascii("id", market.id);
    w.endObject();
    w.beginObject("summary");
    w.price("totalToPay", totalToPay, market.currency);
    w.endObject();
    w.timestamp("updatedAt", updatedAt);
    w.hex("revision", dice.bits(), 8);
    w.endObject();

    QJsonParseError error;
    const QJsonObject form = QJsonDocument::fromJson(w.bytes(), &error).object();
    Q_ASSERT_X(error.error == QJsonParseError::NoError, "CheckoutFormGenerator::next", qPrintable(error.errorString()));
    return form;
}

QJsonArray CheckoutFormGenerator::batch(int count)
{
    QJsonArray forms;
    for (int i = 0; i < count; ++i)
        forms.append(next());
    return forms;
}

QJsonObject CheckoutFormGenerator::withRevision(QJsonObject form, quint64 salt)
{
    // Seeded by the form id too, so that one salt edits different forms differently.
    quint64 seed = mix(salt);
    seed ^= fingerprint(form.value(u"id"_s).toString());
    std::mt19937_64 engine(seed);
    Dice dice(engine);

    QJsonObject delivery = form.value(u"delivery"_s).toObject();
    QJsonObject address = delivery.value(u"address"_s).toObject();
    const bool czech = form.value(u"marketplace"_s).toObject().value(u"id"_s).toString() == u"allegro-cz";
    if (address.isEmpty()) {
        // Not filled in yet: the buyer's own name goes on the parcel.
        const QJsonObject buyer = form.value(u"buyer"_s).toObject();
        address.insert(u"firstName"_s, buyer.value(u"firstName"_s));
        address.insert(u"lastName"_s, buyer.value(u"lastName"_s));
        address.insert(u"countryCode"_s, czech ? u"CZ"_s : u"PL"_s);
    }

    // Half the time the buyer only fixed the street in the same town, otherwise the parcel goes elsewhere.
    const QString oldStreet = address.value(u"street"_s).toString();
    const City *sameCity = findCity(address.value(u"city"_s).toString(), czech);
    Place place;
    do {
        place = placeIn(dice, sameCity && dice.permille(500) ? *sameCity : pickCity(dice, czech), czech);
    } while (place.street.view() == oldStreet);
    char zip[6];
    putPostcode(zip, place.zip, czech);
    address.insert(u"street"_s, place.street.view().toString());
    address.insert(u"city"_s, place.city->name.toString());
    address.insert(u"zipCode"_s, QString::fromLatin1(zip, 6));
    if (dice.permille(300) || !address.contains(u"phoneNumber"_s))
        address.insert(u"phoneNumber"_s, phoneNumber(dice, czech).view().toString());

    const QDateTime previous = QDateTime::fromString(form.value(u"updatedAt"_s).toString(), Qt::ISODateWithMs);
    const qint64 modifiedAt =
        (previous.isValid() ? previous.toMSecsSinceEpoch() : 0) + dice.range(kMsPerMinute, 3 * kMsPerHour);
    address.insert(u"modifiedAt"_s, isoString(modifiedAt));
    delivery.insert(u"address"_s, address);
    form.insert(u"delivery"_s, delivery);
    form.insert(u"updatedAt"_s, isoString(modifiedAt));

    const QString oldRevision = form.value(u"revision"_s).toString();
    QString revision;
    do {
        revision = hexString(dice.bits(), 8);
    } while (revision == oldRevision);
    form.insert(u"revision"_s, revision);
    return form;
}

} // namespace sd::marketplace::allegro
