"""What the mock's people write: the parts mentions are composed from, in three languages.

A mention is a core from ``businesses.py`` (what this brand's people write about) wrapped in the
parts below: openers, details and closers per category, informal spellings, emoji. Spam and the
brand's replies are written here whole. Placeholders: ``{b}`` the brand as people tag it
(``@acme``, ``Acme``, ``acme``), ``{brand}`` the plain name, ``{item}``, ``{n}`` a small count,
``{mins}``, ``{days}``, ``{hours}``, ``{city}``, ``{order}`` an order number, ``{phone}`` and
``{link}`` (spam), ``{author}`` and ``{agent}`` (replies). Languages: ``en``, ``id`` (informal
Indonesian, with the abbreviations people really type) and ``ms`` (informal Malay).
"""

from __future__ import annotations

LANGUAGES = ("id", "ms", "en")
# Who writes: mostly Indonesian, then English, then Malay.
LANGUAGE_WEIGHTS = (0.55, 0.2, 0.25)

# Around a complaint's core: how people open, what they add, how they sign off.
COMPLAINT_OPENERS: dict[str, tuple[str, ...]] = {
    "id": ("", "", "", "min {b}", "halo {b}", "{b} tolong dong,", "parah {b},", "ya ampun {b}",
           "kak {b},", "duh {b},", "{b} knp sih", "kecewa sama {b},", "guys jgn beli di {brand},"),
    "ms": ("", "", "", "{b} tolong la,", "hai {b},", "teruk betul {b},", "hampeh la {b},",
           "{b} kenapa", "admin {b},", "kecewa dengan {b},"),
    "en": ("", "", "", "hey {b}", "{b} seriously,", "ugh {b},", "hi {b},",
           "not happy {b},", "{b} what is going on,", "come on {b},"),
}
COMPLAINT_DETAILS: dict[str, tuple[str, ...]] = {
    "id": ("", "", "udh lapor {n}x blm ada respon", "cs nya gak bales2", "udh {days} hari gini",
           "padahal udh bayar", "dari pagi nungguin", "chat di app cuma dibales bot",
           "komplain via email jg dicuekin", "bukan sekali dua kali", "udh ke gerai jg percuma"),
    "ms": ("", "", "dah {n} kali report takde respon", "call cs pun tak dapat",
           "dah {days} hari macam ni", "padahal dah bayar", "chat dalam app bot je jawab"),
    "en": ("", "", "reported it {n} times already", "support isn't answering",
           "it's been {days} days", "and i already paid", "the chat bot is useless",
           "second time this week"),
}
COMPLAINT_CLOSERS: dict[str, tuple[str, ...]] = {
    "id": ("", "", "gmn nih??", "tolong dicek", "kecewa bgt", "kapok", "mohon solusinya",
           "jgn diem aja dong", "ditunggu responnya", "seriously??", "capek bgt",
           "refund dong", "parah sih"),
    "ms": ("", "", "macam mana ni??", "tolong check", "kecewa betul", "serik dah",
           "bila nak settle?", "bagi refund la"),
    "en": ("", "", "please fix this", "not ok", "any update??", "i want a refund",
           "so frustrating", "unacceptable", "do better"),
}
COMPLAINT_EMOJI = ("😡", "🙏", "😭", "🤦", "🙄", "😤", "🥲", "")

QUESTION_OPENERS: dict[str, tuple[str, ...]] = {
    "id": ("{b}", "min {b},", "kak {b}", "{b} mau tanya dong,", "halo {b},", "permisi min {b},",
           "{b} numpang tanya,"),
    "ms": ("{b}", "{b} nak tanya,", "hai {b},", "admin {b},", "salam {b},"),
    "en": ("{b}", "hi {b},", "quick question {b}:", "hey {b}", "{b} hello,"),
}
QUESTION_CLOSERS: dict[str, tuple[str, ...]] = {
    "id": ("", "", "makasih", "thx min", "🙏", "mksh kak", "makasih sebelumnya"),
    "ms": ("", "", "terima kasih", "tq", "🙏"),
    "en": ("", "", "thanks!", "thx", "🙏", "cheers"),
}

PRAISE_OPENERS: dict[str, tuple[str, ...]] = {
    "id": ("", "", "asli", "jujur", "wah", "{b}", "{b}"),
    "ms": ("", "", "{b}", "{b}", "memang", "wah"),
    "en": ("", "", "{b}", "{b}", "honestly", "wow"),
}
PRAISE_CLOSERS: dict[str, tuple[str, ...]] = {
    "id": ("", "mantap {b}!", "makasih {b}", "keren", "sukses terus {b}", "love it",
           "the best lah", "mantul"),
    "ms": ("", "terbaik {b}!", "terima kasih {b}", "syabas", "memang best"),
    "en": ("", "love you {b}", "thank you {b}!", "keep it up", "10/10"),
}
# A problem the brand put right: praise, though its words are a complaint's.
RESOLVED: dict[str, tuple[str, ...]] = {
    "id": ("makasih ya min, masalahnya udh beres cepet bgt", "thanks {b}, refund udh masuk",
           "akhirnya beres jg, makasih cs {b} yg sabar", "kendala kmrn udh teratasi, makasih {b}",
           "td sempet error tp skrg udh normal lagi, gercep {b}"),
    "ms": ("terima kasih {b}, masalah settle dalam sejam je", "refund dah masuk, thanks {b}",
           "isu semalam dah selesai, terima kasih {b}"),
    "en": ("shoutout to {b}, support fixed it in 10 minutes", "thanks {b} for sorting my refund so quickly",
           "issue resolved within the hour, great service {b}", "{b} got my order sorted, thank you"),
}
PRAISE_EMOJI = ("👍", "🔥", "😍", "💯", "❤️", "🙌", "")

# Chat about any brand, beside what a business's own people say.
CHATTER: dict[str, tuple[str, ...]] = {
    "id": ("liat iklan {brand} di jalan tol {city}", "ada yg kerja di {brand} gak sih disini",
           "{brand} collab sama band indie, unik jg", "{brand} lagi rame dibahas di tl",
           "td lewat {brand} {city}, gedungnya baru dicat", "logo {brand} yg baru kyk gimana sih",
           "jadi inget dulu sering ke {brand} pas kuliah", "{brand} ulang tahun ke {n}0 katanya",
           "nonton podcast ceo {brand} td, menarik jg", "{brand} jadi sponsor timnas"),
    "ms": ("nampak lori {brand} kat highway {city}", "ada sesiapa kerja kat {brand}?",
           "{brand} collab dengan artis tempatan", "teringat zaman belajar selalu ke {brand}",
           "{brand} sambut ulang tahun ke-{n}0 minggu ni", "iklan raya {brand} tahun ni sedih sikit"),
    "en": ("saw a {brand} truck on the highway in {city}", "anyone here work at {brand}?",
           "{brand} doing a collab with a local band", "{brand} is trending for some reason",
           "reminds me of going to {brand} back in uni", "{brand} turns {n}0 this year apparently",
           "listened to the {brand} ceo on a podcast today"),
}
CHATTER_OPENERS: dict[str, tuple[str, ...]] = {
    "id": ("", "", "", "td", "barusan", "eh", "btw", "fyi", "gaes"),
    "ms": ("", "", "", "tadi", "eh", "btw", "weh"),
    "en": ("", "", "", "just now", "btw", "so", "today"),
}
CHATTER_CLOSERS: dict[str, tuple[str, ...]] = {
    "id": ("", "", "", "hehe", "wkwk", "😂", "🤔", "haha", "lol", "👀"),
    "ms": ("", "", "", "hehe", "haha", "😂"),
    "en": ("", "", "", "lol", "haha", "😂"),
}

# Informal spellings: every word of a group may be written as any other of it.
SPELLINGS: dict[str, tuple[tuple[str, ...], ...]] = {
    "id": (("banget", "bgt", "bangettt", "bngt"), ("sudah", "udh", "udah", "dah"),
           ("tidak", "gak", "ga", "nggak", "gk"), ("belum", "blm", "belom"), ("yang", "yg"),
           ("dari", "dr"), ("kemarin", "kmrn", "kemaren"), ("gimana", "gmn", "gmna"),
           ("tapi", "tp"), ("juga", "jg"), ("terus", "trs"), ("makasih", "mksh", "makasi"),
           ("sampai", "sampe"), ("pakai", "pake"), ("kenapa", "knp"), ("lagi", "lg"),
           ("dong", "dongg", "donk"), ("nungguin", "nunggu")),
    "ms": (("tak", "x", "tk"), ("sangat", "sgt"), ("macam", "mcm"), ("sebab", "sbb"),
           ("nak", "nk"), ("boleh", "blh"), ("dah", "sudah"), ("je", "jer"), ("gila", "gile"),
           ("tapi", "tp")),
    "en": (("you", "u"), ("your", "ur"), ("please", "pls", "plz"), ("because", "bc", "cuz"),
           ("thanks", "thx", "ty"), ("really", "rly")),
}

SPAM: dict[str, tuple[str, ...]] = {
    "id": (
        "JUAL followers murah, wa {phone} {b}",
        "promo slot gacor hari ini!! daftar skrg {link} {b}",
        "pinjaman online cair 5 menit tanpa BI checking wa {phone}",
        "jasa like & followers ig murah bgt, order via wa {phone}",
        "diskon 90% {item} ori, klik {link} buruan!!",
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
        "promo {item} murah, order whatsapp {phone} {b}",
        "dapatkan duit raya extra, klik {link} sekarang",
        "produk kecantikan original murah, whatsapp {phone}",
    ),
    "en": (
        "FREE followers!! click {link} now {b}",
        "earn $500/day from home, dm me or whatsapp {phone}",
        "cheap {item} deals, buy now at {link}",
        "crypto giveaway, send 0.1 get 1 back {link}",
        "check out my channel and subscribe!! {link} {b}",
        "win a free iphone, join now {link}",
        "forex signals free trial, whatsapp {phone}",
        "buy cheap likes and followers {link} promo today only",
    ),
}

# The brand's care team: greeting, apology, what happens next, signed with the agent's initials.
REPLY_GREETINGS: dict[str, tuple[str, ...]] = {
    "id": ("Hai kak!", "Halo kak.", "Hai Kak {author}!", "Halo!", "Selamat siang kak."),
    "ms": ("Hai!", "Salam.", "Hai {author}!", "Salam sejahtera."),
    "en": ("Hi!", "Hi there.", "Hey {author}!", "Hello."),
}
REPLY_APOLOGIES: dict[str, tuple[str, ...]] = {
    "id": ("Mohon maaf atas ketidaknyamanannya 🙏", "Maaf ya bikin kesel.",
           "Terima kasih sudah menghubungi kami.", "Mohon maaf atas keterlambatannya.", ""),
    "ms": ("Maaf atas kesulitan ini 🙏", "Terima kasih kerana maklumkan.", "Kami mohon maaf.", ""),
    "en": ("We're sorry about this 🙏", "Thanks for flagging.", "Apologies for the wait.",
           "Sorry for the trouble!", ""),
}
REPLY_ACTIONS: dict[str, tuple[str, ...]] = {
    "id": ("Boleh DM nomor HP/pesanan kakak ya, kami bantu cek.",
           "Laporan kakak sudah kami teruskan ke tim terkait, mohon ditunggu.",
           "Kendalanya sedang kami cek, kami kabari via DM ya.",
           "Boleh info lokasi & waktu kejadiannya via DM? Kami bantu segera.",
           "Tiket kakak sudah kami prioritaskan ya."),
    "ms": ("Boleh DM no. pesanan/telefon, kami semak segera.",
           "Isu ini telah dipanjangkan kepada pasukan kami.",
           "Sila DM butiran akaun anda supaya kami boleh bantu.",
           "Kami sedang semak status tiket anda sekarang."),
    "en": ("Please DM us your order/phone number and we'll look into it.",
           "Our team is on it, we'll update you by DM.",
           "Could you DM us your account details so we can check?",
           "Your ticket has been escalated and we'll get back to you today."),
}

CITIES = ("Jakarta", "Bandung", "Surabaya", "Medan", "Bekasi", "Depok", "Makassar", "Yogyakarta",
          "Semarang", "Kuala Lumpur", "Johor Bahru", "Penang", "Shah Alam", "Ipoh", "Singapore")

SPAM_EMOJI = ("🔥", "💰", "‼️", "")
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
