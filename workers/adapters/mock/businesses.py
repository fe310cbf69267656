"""What a brand's people write about, by the kind of business it is.

Each business has, per language, the things it sells (``item``) and the cores of what its people
write: ``problem`` (a complaint's grievance), ``question``, ``praise`` and ``chatter`` (mentions
that are about the brand without asking anything of it). ``compose.py`` wraps a core in openers,
details and closers and informal spellings, so a few dozen cores give thousands of mentions.

Placeholders: ``{b}`` the brand as people tag it, ``{brand}`` the plain name, ``{item}``,
``{city}``, ``{n}`` a small count, ``{mins}`` minutes, ``{days}``, ``{hours}``, ``{order}``.
A core holding ``{b}`` or ``{brand}`` places the brand itself; otherwise compose places it.
"""

from __future__ import annotations

from typing import TypedDict


class Business(TypedDict):
    item: dict[str, tuple[str, ...]]
    problem: dict[str, tuple[str, ...]]
    question: dict[str, tuple[str, ...]]
    praise: dict[str, tuple[str, ...]]
    chatter: dict[str, tuple[str, ...]]


TELCO: Business = {
    "item": {
        "id": ("paket data", "internet rumah", "kartu prabayar", "paket unlimited", "pulsa",
               "modem", "paket nelpon", "kuota malam", "esim"),
        "ms": ("pakej data", "internet rumah", "kad prabayar", "pakej unlimited", "fiber",
               "modem", "topup", "esim"),
        "en": ("data plan", "home internet", "prepaid sim", "unlimited plan", "fiber",
               "router", "top-up", "esim", "roaming pack"),
    },
    "problem": {
        "id": (
            "sinyal ilang terus di {city}",
            "internet putus2 dari semalem",
            "paket data udh dibeli tp kuota gak masuk",
            "pulsa kepotong sendiri padahal gak pake apa2",
            "internetnya lemot parah, buka wa aja muter2",
            "di {city} mati total sejak jam {hours} pagi",
            "tagihan bulan ini dobel, bayar {item} kena 2x",
            "gak bisa nelpon sama sekali, cuma ada tulisan sos",
            "sinyal 4g cuma 1 bar padahal di tengah kota {city}",
            "isi pulsa {n}0rb gak masuk2 tp saldo e-wallet udh kepotong",
            "modem internet rumah kedip merah terus, teknisi gak dateng2",
            "aktivasi esim gagal terus, kode error mulu",
        ),
        "ms": (
            "line hilang terus kat {city}",
            "internet putus-putus dari semalam",
            "internet lembap gila, nak buka youtube pun tak boleh",
            "dah topup tapi pakej data tak aktif",
            "bil bulan ni kena caj dua kali",
            "fiber rumah down dah {days} hari, technician tak datang",
            "tak boleh call langsung, line takde",
            "kredit kena tolak sendiri padahal tak guna apa-apa",
        ),
        "en": (
            "no signal in {city} since last night",
            "my {item} keeps dropping every few minutes",
            "bought the {item} and the data never showed up",
            "got charged twice on this month's bill",
            "home internet has been down for {hours} hours",
            "calls keep failing, phone just says emergency only",
            "the technician never came to install my home internet",
            "topped up {n}0k and the credit never arrived",
            "speeds are crawling at 0.5 mbps on the {item} i pay for",
        ),
    },
    "question": {
        "id": (
            "{item} bisa dipake di luar negeri gak?",
            "cara cek sisa kuota gmn ya sekarang?",
            "kalo mau upgrade {item} hrs ke gerai atau bisa online?",
            "promo {item} bulan ini masih ada gak ya?",
            "jaringan 5g udh masuk {city} blm?",
            "kalo ganti hp, esim nya bisa dipindah sendiri?",
            "{item} yg 50rb dapet berapa gb ya?",
            "bayar tagihan bisa pake paylater gak?",
        ),
        "ms": (
            "{item} boleh guna kat luar negara tak?",
            "macam mana nak check baki data?",
            "ada promo {item} tak bulan ni?",
            "5g dah ada kat {city} ke belum?",
            "nak tukar ke esim kena pergi kedai ke?",
        ),
        "en": (
            "does the {item} work when travelling abroad?",
            "how do i check my remaining data?",
            "is 5g available in {city} yet?",
            "can i switch my {item} to esim without visiting a store?",
            "is there a student discount on the {item}?",
        ),
    },
    "praise": {
        "id": (
            "sinyal di {city} kenceng bgt skrg",
            "{item} nya stabil, nonton bola lancar jaya",
            "gangguan kmrn udh beres, cepet jg penanganannya",
            "cs nya ramah, masalah tagihan langsung diberesin",
            "baru pindah ke {item} dan ternyata worth it",
        ),
        "ms": (
            "line kat {city} laju gila sekarang",
            "{item} stabil, main game takde lag",
            "isu bil dah settle, cs layan dengan baik",
            "baru tukar ke {item}, memang berbaloi",
        ),
        "en": (
            "signal in {city} is finally solid",
            "the new {item} is fast and cheap",
            "support sorted my billing issue in minutes",
            "switched to the {item} last month, zero drops so far",
        ),
    },
    "chatter": {
        "id": (
            "baru liat iklan {brand} yg baru di tv, lucu jg",
            "denger2 {brand} mau buka gerai baru di {city}",
            "td ketemu temen yg kerja di {brand}",
            "{brand} sponsorin konser di {city} ya ternyata",
            "hp baru dpt bonus kartu {brand}",
            "nonton live {brand} td malem, giveaway nya rame",
            "nomor {brand} ku udh {n} taun gak ganti2",
            "td liat tower {brand} baru dibangun deket rumah",
            "grup wa keluarga semuanya pake {brand}",
            "iklan {brand} yg ada kucingnya lucu bgt sih",
        ),
        "ms": (
            "nampak iklan {brand} kat billboard tadi",
            "kawan aku kerja kat {brand}, katanya tengah sibuk",
            "{brand} sponsor konsert kat {city} rupanya",
            "beli phone baru dapat sim {brand} percuma",
            "nombor {brand} aku dah {n} tahun tak tukar",
            "iklan {brand} yang ada kucing tu comel",
        ),
        "en": (
            "saw the new {brand} billboard on my way home",
            "my cousin just started working at {brand}",
            "{brand} is sponsoring the concert in {city} this weekend",
            "new phone came with a {brand} sim in the box",
            "had the same {brand} number for {n} years now",
            "the {brand} ad with the cat is cute",
            "there's a new {brand} tower going up near my place",
        ),
    },
}

COFFEE: Business = {
    "item": {
        "id": ("es kopi susu", "kopi susu aren", "americano", "latte", "matcha latte",
               "cold brew", "croissant", "caramel macchiato", "es coklat", "roti bakar"),
        "ms": ("kopi ais", "latte", "kopi susu gula apong", "matcha latte", "americano",
               "croissant", "mocha"),
        "en": ("iced latte", "oat latte", "americano", "cold brew", "flat white", "matcha latte",
               "croissant", "caramel macchiato"),
    },
    "problem": {
        "id": (
            "pesanan lewat app udh {mins} menit blm jadi",
            "pesanan yg dateng salah, minta less sugar dikasih manis bgt",
            "antrian di gerai {city} sejam lebih, kasirnya cuma satu",
            "order via ojol, {item} nya tumpah semua",
            "poin member gak masuk padahal udh transaksi {n}x",
            "app nya error pas bayar, saldo kepotong tp order gak masuk",
            "kopinya rasanya beda bgt, encer kyk air",
            "barista di {city} jutek, ditanya baik2 malah dicuekin",
            "voucher di app gak bisa dipake padahal blm expired",
            "pesanan {order} dicancel sepihak, duit blm balik",
            "ada rambut di {item} yg aku beli td",
            "wifi di gerai {city} mati terus, mau kerja jd gak bisa",
        ),
        "ms": (
            "order dalam app dah {mins} minit tak siap lagi",
            "air yang sampai salah, minta kurang manis dapat manis gila",
            "beratur kat kedai {city} hampir sejam",
            "{item} tumpah dalam beg rider",
            "point member tak masuk walaupun dah beli {n} kali",
            "app error masa bayar, duit kena tolak tapi order takde",
            "kopi hari ni rasa lain, cair macam air",
        ),
        "en": (
            "my mobile order took {mins} minutes and it still wasn't ready",
            "got the wrong drink again, asked for oat milk",
            "the app charged me but the order never went through",
            "my delivery showed up with the {item} spilled all over the bag",
            "reward points from my last {n} visits never showed up",
            "my coffee tasted burnt and watery today",
            "staff at the {city} store were really rude to me",
            "order {order} was cancelled and i still haven't got my money back",
        ),
    },
    "question": {
        "id": (
            "gerai di {city} buka jam brp ya?",
            "kopi susunya bisa ganti oat milk gak? nambah brp?",
            "menu baru bulan ini apa aja?",
            "bisa pesen {n}0 cup buat acara kantor gak?",
            "promo payday masih berlaku gak?",
            "member card bisa dipake di semua gerai?",
            "ada yg tau {item} {brand} yg paling enak apa?",
        ),
        "ms": (
            "kedai kat {city} buka pukul berapa?",
            "latte boleh tukar oat milk tak?",
            "ada menu baru tak bulan ni?",
            "boleh tempah {n}0 cawan untuk event ofis?",
        ),
        "en": (
            "what time does the {city} store open?",
            "can i get any latte with oat milk?",
            "is the buy one get one promo still on?",
            "do you take catering orders for {n}0 people?",
            "are the seasonal drinks out yet?",
        ),
    },
    "praise": {
        "id": (
            "{item} nya enak bgt, pas manisnya",
            "barista di {city} ramah & gercep",
            "ngopi sore di {brand} emg paling enak",
            "menu baru nya juara, {item} wajib coba",
            "tempatnya nyaman buat nugas, wifi kenceng",
        ),
        "ms": (
            "{item} sedap gila, memang terbaik",
            "barista kat {city} peramah sangat",
            "lepak petang kat {brand} memang best",
            "menu baru {item} sedap, recommended",
        ),
        "en": (
            "the {item} today was perfect",
            "baristas at the {city} store are the sweetest",
            "new seasonal menu is so good, get the {item}",
            "best place to work from, quiet and the coffee is great",
        ),
    },
    "chatter": {
        "id": (
            "lagi ngantri di gerai {brand} {city}, rame jg ya",
            "ngopi di {brand} sambil nugas",
            "besok mau ke {brand} {city} ah, nyobain {item}",
            "nunggu temen di {brand} deket kantor",
            "{brand} buka cabang baru di {city} katanya",
            "ternyata {brand} sponsor fun run di {city}",
            "{brand} ganti logo ya? baru ngeh",
            "meeting pagi ini di {brand} {city}",
            "{item} {brand} vs sebelah, kalian tim mana?",
        ),
        "ms": (
            "tengah tunggu kawan kat {brand} {city}",
            "esok nak pergi {brand} {city}, nak try {item}",
            "kawan aku kerja kat {brand}, katanya sibuk sekarang",
            "{brand} buka cawangan baru kat {city} ke?",
            "lepak kat {brand} sambil siapkan assignment",
        ),
        "en": (
            "waiting for a friend at the {brand} in {city}",
            "working from {brand} today",
            "might try the new {item} at {brand} tomorrow",
            "{brand} is opening a new store in {city}",
            "{brand} sponsored the {city} fun run this year",
            "morning meeting at {brand}, as usual",
        ),
    },
}

RESTAURANT: Business = {
    "item": {
        "id": ("nasi goreng", "ayam bakar", "soto", "rendang", "paket keluarga", "nasi campur",
               "sate ayam", "bebek goreng", "gado-gado"),
        "ms": ("nasi lemak", "ayam bakar", "rendang", "set keluarga", "nasi goreng kampung",
               "sate"),
        "en": ("fried rice", "grilled chicken", "rendang", "family set", "satay", "noodle soup"),
    },
    "problem": {
        "id": (
            "pesanan {order} lewat ojol blm dateng udh {mins} menit",
            "makanan yg dateng dingin semua, kuahnya tumpah",
            "pesen {item} {n} porsi yg dateng cuma 1",
            "{item} nya keasinan parah, gak bisa dimakan",
            "di cabang {city} nunggu makanan sejam gak keluar2",
            "ada lalat di {item} td siang",
            "pelayannya gak ramah, minta sambal malah diketusin",
            "udh bayar via qris tp kasir bilang blm masuk",
            "{item} porsinya makin dikit tp harga naik",
            "salah kirim pesanan, pesen {item} dapetnya yg lain",
        ),
        "ms": (
            "order {order} tak sampai lagi dah {mins} minit",
            "makanan sampai sejuk, kuah tumpah",
            "order {n} set yang sampai satu je",
            "{item} masin gila tak boleh makan",
            "kat cawangan {city} tunggu sejam makanan tak keluar",
            "ada lalat dalam {item} tadi",
        ),
        "en": (
            "order {order} still hasn't arrived after {mins} minutes",
            "the food came cold and half the soup spilled",
            "ordered {n} portions and got one",
            "found a hair in my {item} at the {city} branch",
            "waited an hour at the {city} branch and the food never came",
            "paid by qr but the cashier says it didn't go through",
        ),
    },
    "question": {
        "id": (
            "cabang {city} buka sampe jam brp?",
            "bisa reservasi buat {n}0 orang gak?",
            "{item} level pedesnya bisa dipilih?",
            "ada menu buat anak2 gak?",
            "delivery ke {city} bisa gak ya?",
            "bisa bayar pake qris?",
        ),
        "ms": (
            "cawangan {city} buka sampai pukul berapa?",
            "boleh buat tempahan untuk {n}0 orang?",
            "ada set untuk budak-budak?",
            "{item} tu pedas ke?",
        ),
        "en": (
            "does the {city} branch take reservations for {n}0 people?",
            "is the {item} very spicy?",
            "do you deliver to {city}?",
            "what time does the kitchen close?",
        ),
    },
    "praise": {
        "id": (
            "{item} nya enak bgt, bumbunya meresap",
            "porsi gede, harga bersahabat, puas",
            "pelayanan di cabang {city} cepet & ramah",
            "makan siang di {brand} gak pernah gagal",
        ),
        "ms": (
            "{item} sedap gila, rasa macam masakan mak",
            "servis kat cawangan {city} laju, staff peramah",
            "portion besar, harga berpatutan, puas hati",
        ),
        "en": (
            "the {item} is amazing, perfectly spiced",
            "big portions and friendly staff at the {city} branch",
            "lunch at {brand} never disappoints",
        ),
    },
    "chatter": {
        "id": (
            "makan siang di {brand} {city} bareng temen kantor",
            "besok mau ke {brand} {city} ah, pengen {item}",
            "{brand} buka cabang baru di {city}",
            "lagi nunggu pesenan di {brand}, rame bgt hari ini",
            "bukber tahun ini di {brand} aja kali ya",
        ),
        "ms": (
            "makan tengahari kat {brand} {city} dengan geng ofis",
            "esok nak pergi {brand}, teringin {item}",
            "kawan aku kerja kat {brand} {city}",
            "{brand} ada cawangan baru kat {city}",
        ),
        "en": (
            "lunch at {brand} in {city} with the team",
            "craving the {item} from {brand}",
            "{brand} opened a new branch in {city}",
            "family dinner at {brand} tonight",
        ),
    },
}

BUSINESSES: dict[str, Business] = {"telco": TELCO, "coffee": COFFEE, "restaurant": RESTAURANT}
