"""What the mock's people write: templates per category and language, and the words they fill.

Placeholders: ``{b}`` the brand as people tag it (``@acme``, ``Acme``, ``acme``), ``{brand}`` the
plain name, ``{product}``, ``{issue}``, ``{n}`` a small count, ``{days}``, ``{hours}``, ``{emoji}``,
``{city}``, ``{order}`` an order number, ``{phone}`` and ``{link}`` (spam), ``{author}`` (replies),
``{agent}`` (the replying agent's initials). Languages: ``en``, ``id`` (informal Indonesian, with
the abbreviations people really type) and ``ms`` (informal Malay).
"""

from __future__ import annotations

LANGUAGES = ("id", "ms", "en")
# Who writes: mostly Indonesian, then English, then Malay.
LANGUAGE_WEIGHTS = (0.55, 0.2, 0.25)

COMPLAINT: dict[str, tuple[str, ...]] = {
    "id": (
        "{b} sinyal ilang terus dr kmrn, udh lapor {n}x blm ada respon jd gmn dong??",
        "{b} {product} gangguan lagi?? udh {hours} jam gak bisa dipake {emoji}",
        "min {b} tolong dong {issue} dari {days} hari lalu blm beres jg",
        "kecewa bgt sama {b}, {issue} dan cs nya gak bales2",
        "{b} knp {product} lemot bangettt sih, bayar mahal2 tp gini {emoji}",
        "udh {days} hari refund blm masuk, {b} gmn nih tanggung jawabnya??",
        "parah {b}, {issue}. komplain via app jg gak ada yg respon",
        "halo {b} pesanan {order} blm sampe, tracking gak update dr kmrn",
        "{b} tlh lapor {n}x soal {issue} tp tetep aja blm ada solusi {emoji}",
        "kapok pake {b}, {product} error terus, hrs restart tiap jam",
        "{b} saldo kepotong tp {product} gak aktif, tolong dicek dgn bener dong",
        "cs {b} lama bgt balesnya, udh nunggu dr pagi {emoji}",
        "{b} di {city} mati total dr semalem, kapan bener nya??",
        "ini {b} kenapa sih, {issue} mulu. capek lapor terus {emoji}",
        "tolonggg {b}, {issue} dan udh {days} hari blm ada kabar",
    ),
    "ms": (
        "parcel aku hilang, tracking tak update dah seminggu {b}",
        "{b} {product} rosak lagi, dah {n} kali report tapi takde orang balas",
        "teruk betul servis {b}, {issue} dah {days} hari {emoji}",
        "{b} kenapa {product} lembap sangat kat {city} ni??",
        "hampeh {b}, refund tak masuk lagi dah {days} hari",
        "{b} tolong la, {issue}. call cs pun tak dapat",
        "dah bayar tapi {product} tak aktif, {b} macam mana ni {emoji}",
        "order {order} sampai rosak, {b} nak claim macam mana??",
        "{b} line putus je dari semalam kat {city}, bila nak betul",
        "kecewa dengan {b}, {issue} dan takde siapa nak layan",
    ),
    "en": (
        "still waiting on my refund, {days} weeks now. nobody answers {b}",
        "{b} my {product} has been down for {hours} hours, is anyone fixing this?",
        "worst service ever {b}, {issue} and support keeps ignoring me {emoji}",
        "{b} been charged twice for {product}, please fix this asap",
        "hey {b} order {order} never arrived and tracking hasn't moved in {days} days",
        "{b} third time reporting {issue}. unacceptable",
        "really disappointed with {b}, {product} keeps failing {emoji}",
        "{b} your app logs me out every 5 mins, still broken after the update",
        "no signal in {city} since last night {b}?? {emoji}",
        "{b} cancelled my order without telling me and no refund yet. ridiculous",
    ),
}

QUESTION: dict[str, tuple[str, ...]] = {
    "id": (
        "{b} mau tanya dong, {product} bisa dipake di luar negeri gak?",
        "min {b} gmn cara ganti nomor di akun? makasih",
        "{b} promo {product} bulan ini masih ada gak ya?",
        "kak {b} kalo mau upgrade {product} hrs ke gerai atau bisa online?",
        "{b} jam operasional cs sampe jam brp ya?",
        "ada yg tau {product} {b} di {city} udh bisa blm?",
        "{b} bayar pake paylater bisa gak min?",
        "min {b}, utk pengiriman ke {city} brp hari ya biasanya?",
        "{b} cara cek sisa kuota gmn ya? aplikasinya beda skrg",
        "{b} kalo {product} rusak masih garansi gak?",
    ),
    "ms": (
        "{b} nak tanya, {product} boleh guna kat {city} tak?",
        "macam mana nak tukar alamat penghantaran {b}?",
        "{b} ada promo {product} tak bulan ni?",
        "boleh bayar guna ewallet tak {b}?",
        "{b} berapa lama biasa penghantaran ke {city}?",
        "{b} kalau nak upgrade {product} kena pergi kedai ke?",
        "ada sesiapa guna {product} {b}? ok tak?",
        "{b} waktu operasi customer service sampai pukul berapa ya?",
    ),
    "en": (
        "{b} does {product} work when travelling abroad?",
        "how do I change the email on my {brand} account?",
        "{b} is the {product} promo still running this month?",
        "anyone tried {product} from {brand}? worth it?",
        "{b} what are your support hours on weekends?",
        "{b} can I pick up my order {order} in {city} instead?",
        "quick question {b}: is there a student discount for {product}?",
        "{b} how long does delivery to {city} usually take?",
    ),
}

PRAISE: dict[str, tuple[str, ...]] = {
    "id": (
        "mantap bgt pelayanannya {b} {emoji}",
        "{b} makasih ya min, masalahnya udh beres cepet bgt {emoji}",
        "{product} {b} kenceng bangettt di {city}, puas!",
        "baru coba {product} dr {b} dan ternyata bagus bgt",
        "cs {b} ramah & gercep, respect {emoji}",
        "{b} paket sampe sehari doang, keren!",
        "udh {n} taun pake {b} gak pernah kecewa {emoji}",
        "thanks {b}, refund udh masuk. mantul",
        "{b} terbaik lah pokoknya {emoji}",
        "seneng bgt promo {product} {b} kmrn, dapet murah",
    ),
    "ms": (
        "terbaik {b}! {product} laju gila kat {city} {emoji}",
        "terima kasih {b}, masalah settle dalam sejam je",
        "servis {b} memang best, staff pun baik {emoji}",
        "{b} parcel sampai awal, puas hati",
        "dah {n} tahun guna {b}, memang tak menyesal",
        "{product} baru dari {b} sedap guna, recommended {emoji}",
        "cs {b} layan dengan baik sangat, terima kasih!",
        "{b} laju betul penghantaran, syabas",
    ),
    "en": (
        "shoutout to {b}, support fixed my issue in 10 minutes {emoji}",
        "{product} from {brand} is honestly great, fast and cheap",
        "love the new {brand} app update {emoji}",
        "{b} delivery came a day early, thank you!",
        "been with {brand} for {n} years, never disappointed",
        "{b} best customer service I've had in a while {emoji}",
        "thanks {b} for sorting my refund so quickly",
        "really happy with my {product} from {b} {emoji}",
    ),
}

NEUTRAL: dict[str, tuple[str, ...]] = {
    "id": (
        "lagi antri di gerai {brand} {city}, rame jg ya",
        "baru liat iklan {brand} di tv, lucu jg",
        "td ketemu temen kerja di {brand}, katanya lg sibuk bgt",
        "{brand} sama yg sebelah sama aja sih menurutku",
        "nonton live {brand} td malem, giveaway nya rame",
        "besok mau ke {brand} {city} ah, mau liat2 {product}",
        "ternyata {brand} sponsor acara di {city} ya",
        "hari ini pake {product} {brand}, biasa aja sih",
        "denger2 {brand} mau buka cabang baru di {city}",
        "{brand} ganti logo lagi? hmm",
    ),
    "ms": (
        "tengah tunggu giliran kat kedai {brand} {city}",
        "nampak iklan {brand} kat billboard tadi",
        "kawan aku kerja kat {brand}, katanya sibuk sekarang",
        "esok nak pergi tengok {product} kat {brand}",
        "{brand} buka cawangan baru kat {city} ke?",
        "dua-dua sama je, {brand} ke yang lain pun ok",
        "tgk live {brand} semalam, ramai gila",
        "{brand} tukar logo lagi eh",
    ),
    "en": (
        "waiting in line at the {brand} store in {city}",
        "saw the new {brand} ad on tv today",
        "my cousin just started working at {brand}",
        "{brand} or the other one, they're all the same tbh",
        "might check out the {product} at {brand} tomorrow",
        "didn't know {brand} sponsored the {city} marathon",
        "{brand} changed their logo again?",
        "using {product} from {brand} for the first time today",
    ),
}

SPAM: dict[str, tuple[str, ...]] = {
    "id": (
        "JUAL followers murah, wa {phone} {b}",
        "promo slot gacor hari ini!! daftar skrg {link} {b}",
        "pinjaman online cair 5 menit tanpa BI checking wa {phone}",
        "jasa like & followers ig murah bgt, order via wa {phone}",
        "diskon 90% {product} ori, klik {link} buruan!!",
        "giveaway iphone gratis utk 100 org pertama, follow & klik {link}",
        "{b} mau penghasilan 5jt/hari? join grup kami wa {phone}",
        "jual akun premium murah meriah, dm atau wa {phone}",
        "obat herbal asli pelangsing cepet, order {link} wa {phone}",
        "slot gacor maxwin deposit 10rb, link di bio {link}",
    ),
    "ms": (
        "Salam Cityiklan Iklancoffee andaforex iklan percuma Online Malaysia",
        "iklan percuma!! jana pendapatan dari rumah, whatsapp {phone}",
        "pinjaman peribadi lulus cepat, tanpa penjamin, whatsapp {phone}",
        "forex signal percuma join channel telegram {link}",
        "jual followers murah gila, dm sekarang {link}",
        "promo {product} murah, order whatsapp {phone} {b}",
        "dapatkan duit raya extra, klik {link} sekarang",
        "produk kecantikan original murah, whatsapp {phone}",
    ),
    "en": (
        "FREE followers!! click {link} now {b}",
        "earn $500/day from home, dm me or whatsapp {phone}",
        "cheap {product} deals, buy now at {link}",
        "crypto giveaway, send 0.1 get 1 back {link}",
        "check out my channel and subscribe!! {link} {b}",
        "win a free iphone, join now {link}",
        "forex signals free trial, whatsapp {phone}",
        "buy cheap likes and followers {link} promo today only",
    ),
}

REPLY: dict[str, tuple[str, ...]] = {
    "id": (
        "@{author} Hai kak, mohon maaf atas ketidaknyamanannya 🙏 boleh DM nomor HP/pesanan kakak ya, kami bantu cek. -{agent}",
        "@{author} Halo kak, maaf ya bikin kesel. Laporan kakak sudah kami teruskan ke tim teknis, mohon ditunggu 🙏 -{agent}",
        "@{author} Hai kak, terima kasih sudah menghubungi kami. Kendalanya sedang kami cek, kami kabari via DM ya. -{agent}",
        "@{author} Mohon maaf kak, boleh info lokasi & waktu kejadiannya via DM? Kami bantu segera 🙏 -{agent}",
        "@{author} Halo kak, maaf atas keterlambatannya. Tiket kakak sudah kami prioritaskan ya. -{agent}",
    ),
    "ms": (
        "@{author} Hai, maaf atas kesulitan ini 🙏 boleh DM no. pesanan/telefon, kami semak segera. -{agent}",
        "@{author} Salam, terima kasih kerana maklumkan. Isu ini telah dipanjangkan kepada pasukan teknikal. -{agent}",
        "@{author} Hai, kami mohon maaf. Sila DM butiran akaun anda supaya kami boleh bantu. -{agent}",
        "@{author} Salam, maaf atas kelewatan. Kami sedang semak status tiket anda sekarang. -{agent}",
    ),
    "en": (
        "@{author} Hi, we're sorry about this 🙏 please DM us your order/phone number and we'll look into it. -{agent}",
        "@{author} Hi there, thanks for flagging. Our tech team is on it, we'll update you by DM. -{agent}",
        "@{author} Sorry for the trouble! Could you DM us your account details so we can check? -{agent}",
        "@{author} Hi, apologies for the wait. Your ticket has been escalated and we'll get back to you today. -{agent}",
    ),
}

TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "complaint": COMPLAINT,
    "question": QUESTION,
    "praise": PRAISE,
    "neutral": NEUTRAL,
    "spam": SPAM,
}

PRODUCTS: dict[str, tuple[str, ...]] = {
    "id": ("paket data", "internet rumah", "aplikasinya", "kartu prabayar", "paket unlimited",
           "e-wallet", "layanan TV", "pulsa", "modem", "ongkir gratis"),
    "ms": ("pakej data", "internet rumah", "aplikasi", "kad prabayar", "pakej unlimited",
           "ewallet", "fiber", "modem", "penghantaran percuma"),
    "en": ("data plan", "home internet", "app", "prepaid sim", "unlimited plan", "e-wallet",
           "fiber", "router", "premium subscription"),
}

ISSUES: dict[str, tuple[str, ...]] = {
    "id": ("sinyal ilang", "paket blm sampe", "saldo kepotong", "gak bisa login",
           "tagihan dobel", "internet putus2", "refund blm masuk", "kurir gak dateng"),
    "ms": ("line hilang", "parcel tak sampai", "duit kena potong", "tak boleh login",
           "bil dua kali", "internet putus-putus", "refund tak masuk"),
    "en": ("lost signal", "the parcel never came", "double billing", "can't log in",
           "the refund never showed up", "constant disconnects", "wrong item delivered"),
}

CITIES = ("Jakarta", "Bandung", "Surabaya", "Medan", "Bekasi", "Depok", "Makassar", "Yogyakarta",
          "Semarang", "Kuala Lumpur", "Johor Bahru", "Penang", "Shah Alam", "Ipoh", "Singapore")

EMOJI = ("😡", "🙏", "😭", "🤦", "🙄", "😤", "👍", "🔥", "😍", "💯", "❤️", "😂", "🥲", "")
# Emoji that fit each category, so praise doesn't end in a fuming face.
EMOJI_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "complaint": ("😡", "🙏", "😭", "🤦", "🙄", "😤", "🥲", ""),
    "question": ("🙏", "", "😊"),
    "praise": ("👍", "🔥", "😍", "💯", "❤️", "🙌", ""),
    "neutral": ("😂", "", "🤔"),
    "spam": ("🔥", "💰", "‼️", ""),
}

LINKS = ("bit.ly/promo-gacor", "www.iklanpercuma.my", "tinyurl.com/free-flw", "cutt.ly/jualmurah",
         "https://win-prize.example.com", "t.me/forexsignalfree")

FIRST_NAMES = ("rina", "budi", "sari", "dewi", "agus", "putri", "andi", "fajar", "intan", "rizky",
               "ayu", "dimas", "nur", "siti", "ahmad", "farah", "hafiz", "aisyah", "amir", "lina",
               "kevin", "jessica", "michael", "sarah", "daniel", "wei", "mei", "raj", "priya",
               "tommy", "yuni", "bayu", "citra", "eka", "gilang", "hana", "irfan", "joko")
LAST_NAMES = ("putri", "santoso", "wijaya", "pratama", "lestari", "hidayat", "saputra", "tan",
              "lim", "rahman", "ismail", "abdullah", "ng", "wong", "kusuma", "nasution",
              "harahap", "sihombing", "zain", "hakim")
HANDLE_SHAPES = ("{f}{l}", "{f}_{l}", "{f}.{l}", "{f}{n}", "{f}_{l}{n}", "{f}{l}_", "its{f}",
                 "{f}_{n}", "the{f}{l}", "{f}{l}{n}")

AGENTS = ("RA", "DN", "MF", "SY", "AK", "TW", "NH", "BS")

SPAM_HANDLES = ("promo_murah88", "jualfollowers_id", "slotgacor_maxwin", "iklan_percuma_my",
                "forex.signal.free", "cuan_harian", "giveaway_official_", "pinjol_cepat")

# Defects a broken collector produces, each one the pipeline must reject.
BAD_DATES = ("kemarin sore", "32/13/2024 25:61", "yesterday-ish", "0000-00-00 00:00:00", "NaN")
