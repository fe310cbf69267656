"""Word lists the engine reads: hand-written, not learned from any dataset.

Kept apart from the code so that they can be reviewed (and grown) by people who know the
languages, without touching the logic.
"""

from __future__ import annotations

# Informal spellings to their plain form: Indonesian / Malay, and a little English chat. The
# engine and the word-list baseline (listening.analysis.lexicon) both read these.
SLANG_ID_MS: dict[str, str] = {
    "blm": "belum", "blom": "belum", "blum": "belum", "lom": "belum", "tlh": "telah",
    "gmn": "gimana", "gmna": "gimana", "gimna": "gimana", "bgmn": "bagaimana",
    "utk": "untuk", "untk": "untuk", "buat": "buat", "hrs": "harus", "yg": "yang", "yng": "yang",
    "dgn": "dengan", "dg": "dengan", "dng": "dengan", "gak": "tidak", "ga": "tidak",
    "gk": "tidak", "g": "tidak", "nggak": "tidak", "ngga": "tidak", "nggk": "tidak",
    "engga": "tidak", "enggak": "tidak", "ndak": "tidak", "gag": "tidak", "kagak": "tidak",
    "tdk": "tidak", "tak": "tidak", "x": "tidak", "bgt": "banget", "bngt": "banget",
    "bener": "benar", "bnr": "benar", "udh": "sudah", "udah": "sudah", "uda": "sudah",
    "sdh": "sudah", "dah": "sudah", "sudh": "sudah", "kmrn": "kemarin", "kmarin": "kemarin",
    "kemaren": "kemarin", "jd": "jadi", "jdi": "jadi", "tp": "tapi", "tpi": "tapi",
    "krn": "karena", "karna": "karena", "krna": "karena", "sy": "saya", "sya": "saya",
    "aq": "aku", "ak": "aku", "gw": "gue", "gua": "gue", "lu": "lo", "loe": "lo",
    "sm": "sama", "dr": "dari", "dri": "dari", "lg": "lagi", "lgi": "lagi", "sj": "saja",
    "aja": "saja", "ja": "saja", "skrg": "sekarang", "skrng": "sekarang", "skg": "sekarang",
    "bs": "bisa", "bsa": "bisa", "bisaa": "bisa", "trs": "terus", "trus": "terus",
    "knp": "kenapa", "np": "kenapa", "napa": "kenapa", "msh": "masih", "masi": "masih",
    "org": "orang", "min": "admin", "mimin": "admin", "brp": "berapa", "kpn": "kapan",
    "mcm": "macam", "sbb": "sebab", "byk": "banyak", "bnyk": "banyak", "dpt": "dapat",
    "dapet": "dapat", "klo": "kalau", "kalo": "kalau", "kl": "kalau", "bkn": "bukan",
    "sampe": "sampai", "smpe": "sampai", "smp": "sampai", "tgl": "tanggal", "hr": "hari",
    "jg": "juga", "jga": "juga", "spt": "seperti", "kyk": "kayak", "kya": "kayak",
    "sblm": "sebelum", "stlh": "setelah", "pd": "pada", "kpd": "kepada", "dlm": "dalam",
    "tsb": "tersebut", "dll": "dan lain lain", "dsb": "dan sebagainya", "ato": "atau",
    "atw": "atau", "sgt": "sangat", "bgmana": "bagaimana", "mksh": "makasih",
    "makasi": "makasih", "trims": "terima kasih", "trmksh": "terima kasih", "tq": "thanks",
    "nak": "nak", "tau": "tahu", "tahu": "tahu", "emg": "memang", "emang": "memang",
    "mmg": "memang", "lmbt": "lambat", "lemot": "lemot", "ilang": "hilang", "ngilang": "hilang",
    "sinyal": "sinyal", "signal": "sinyal", "resp": "respon", "respond": "respon",
    "jwb": "jawab", "dijwb": "dijawab", "bls": "balas", "dibls": "dibalas", "pdhl": "padahal",
    "bbrp": "beberapa", "cm": "cuma", "cuman": "cuma", "ckp": "cukup",
    "gpp": "tidak apa apa", "gapapa": "tidak apa apa", "pake": "pakai", "pk": "pakai",
    "nunggu": "menunggu", "nungguin": "menunggu", "dtg": "datang", "sampek": "sampai",
    "dateng": "datang", "cepet": "cepat", "seneng": "senang", "kenceng": "kencang",
    "bales": "balas", "dibales": "dibalas",
    "beneran": "benar", "bener2": "benar",
}
SLANG_EN_CHAT: dict[str, str] = {
    "pls": "please", "plz": "please", "plox": "please", "u": "you", "ur": "your", "r": "are",
    "thx": "thanks", "thnx": "thanks", "ty": "thank you", "dont": "don't", "cant": "can't",
    "wont": "won't", "isnt": "isn't", "didnt": "didn't", "doesnt": "doesn't", "hv": "have",
    "im": "i'm", "ive": "i've", "idk": "i don't know", "b4": "before", "2day": "today",
    "bc": "because", "cuz": "because", "coz": "because", "w/": "with", "w/o": "without",
    "wtf": "wtf", "smh": "smh", "cs": "customer service", "acct": "account", "msg": "message",
}
SLANG: dict[str, str] = {**SLANG_ID_MS, **SLANG_EN_CHAT}
# "hrs" is ambiguous (hours / harus); in an English sentence we undo the Indonesian reading.
EN_SLANG_OVERRIDE: dict[str, str] = {"hrs": "hours", "min": "min", "tak": "tak", "ga": "ga"}

# Emoji (and a few emoticons) to a short name; the names double as features and lexicon words.
EMOJI: dict[str, str] = {
    "😡": "angry", "🤬": "angry", "😠": "angry", "👿": "angry", "💢": "angry",
    "😤": "annoyed", "🙄": "annoyed", "😒": "annoyed", "😑": "annoyed",
    "😭": "crying", "😢": "crying", "😿": "crying", "😞": "sad", "😔": "sad", "😩": "sad",
    "😫": "sad", "☹": "sad", "🙁": "sad", "😟": "sad", "💔": "broken_heart",
    "👎": "thumbs_down", "🤮": "disgust", "🤢": "disgust", "💩": "disgust",
    "😂": "laugh", "🤣": "laugh", "😆": "laugh", "😅": "laugh", "😄": "happy", "😁": "happy",
    "😀": "happy", "😃": "happy", "😊": "happy", "🙂": "happy", "☺": "happy", "😇": "happy",
    "😍": "love", "🥰": "love", "😘": "love", "❤": "heart", "♥": "heart", "💕": "heart",
    "💖": "heart", "💗": "heart", "💙": "heart", "💚": "heart", "💜": "heart", "🧡": "heart",
    "💛": "heart", "👍": "thumbs_up", "👌": "ok_hand", "🙏": "pray", "👏": "clap", "🔥": "fire",
    "🙌": "raised_hands", "🤩": "star_struck", "😎": "cool", "🥳": "party",
    "💯": "hundred", "✨": "sparkles", "🎉": "party", "🤔": "thinking", "😱": "shocked",
    "😳": "shocked", "🤦": "facepalm", "💸": "money", "💰": "money",
}
EMOTICONS: dict[str, str] = {
    ":)": "happy", ":-)": "happy", ":d": "happy", "^^": "happy", "^_^": "happy", ":(": "sad",
    ":-(": "sad", ":'(": "crying", "-_-": "annoyed", ":/": "annoyed", "<3": "heart",
}
EMOJI_POSITIVE = {"happy", "love", "heart", "thumbs_up", "ok_hand", "clap", "hundred",
                  "sparkles", "party", "laugh", "fire", "raised_hands", "star_struck", "cool"}
EMOJI_NEGATIVE = {"angry", "annoyed", "crying", "sad", "broken_heart", "thumbs_down",
                  "disgust", "facepalm"}

# Function words that tell the languages apart (after slang expansion, plus raw forms).
EN_WORDS = frozenset({
    "the", "and", "is", "my", "you", "your", "for", "not", "this", "have", "was", "are", "with",
    "it", "to", "of", "i", "i'm", "please", "still", "been", "no", "what", "why", "thanks", "a",
    "an", "on", "in", "at", "be", "we", "our", "they", "me", "do", "does", "did", "can",
    "can't", "don't", "will", "would", "just", "but", "so", "if", "that", "there", "when",
    "how", "get", "got", "has", "had", "from", "out", "about", "all", "any", "again", "order",
    "time", "day", "days", "hours", "customer", "service", "help", "account", "thank", "you're",
    "it's", "won't", "didn't", "isn't", "doesn't", "im", "u", "ur", "hi", "hello", "hey",
    "video", "song", "love", "like", "check", "channel", "subscribe",
})
ID_WORDS = frozenset({
    "yang", "tidak", "sudah", "belum", "dari", "untuk", "saya", "aku", "gimana", "banget",
    "dengan", "jadi", "kenapa", "kok", "dong", "sih", "nih", "kak", "gan", "admin", "terus",
    "kemarin", "lagi", "sama", "bisa", "ini", "itu", "ada", "dan", "di", "ke", "juga", "karena",
    "tapi", "saja", "masih", "mau", "akan", "atau", "kalau", "pada", "sangat", "enak", "tempat",
    "harga", "makanan", "pelayanan", "bagus", "tolong", "mohon", "kami", "kita", "mereka",
    "apa", "adalah", "tersebut", "oleh", "sebagai", "dalam", "telah", "hanya", "lebih", "buat",
    "gue", "lo", "deh", "kan", "ya", "yah", "nya", "banyak", "semua", "orang", "baru", "sekali",
    "pak", "bu", "mas", "mbak", "jual", "murah", "cek", "beli",
    "bang", "kakak", "udah", "gak", "nggak", "tahu", "harus",
    "sampai", "memang", "padahal", "kayak", "cuma", "pakai", "bukan", "hari", "sinyal",
})
# Words far more common in Malay than in Indonesian (raw or expanded forms).
MS_ONLY = frozenset({
    "nak", "je", "jer", "kat", "korang", "awak", "macam", "sebab", "percuma", "teruk", "hampeh",
    "lembap", "rosak", "dekat", "tu", "ni", "malaysia", "ringgit", "rm", "sahaja", "mahu",
    "kereta", "wang", "boleh", "takde", "tiada", "sangat", "kenapa", "pun", "lepas", "dah",
    "betul", "saja", "salam", "beli", "harga", "agak", "cuba", "kedai", "mcm", "sbb", "xde",
    "x", "tak", "la", "lah", "camne", "camni", "ape", "nape", "sikit", "tapi", "bila", "tanya",
    "memang", "kalau", "semua", "kita", "anda", "ramai", "sedap", "best",
})
# Words that tell Malay from Indonesian, as people write them (raw forms, before slang is
# expanded), weighted by how telling they are: 2 the other language hardly uses it, 1 far more
# common here, 0.5 a lean. From what speakers and grammars of the two languages say, not
# learned from any dataset; a Malay word that is common in Indonesian review sentences too
# (SmSA's training file, which may ship) carries 0.5 at most.
def _weighted(*tiers: tuple[float, str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for weight, words in tiers:
        for w in words.split():
            out[w] = weight
    return out


MS_EVIDENCE: dict[str, float] = _weighted(
    (2.0,
     # particles, negation and pronouns of colloquial Malay
     "nak nk je jer jek kat korang kitorang kiteorg diorang dorang depa hangpa awak takde tade "
     "xde xda xdak xleh xnak xtau xpe camne camana macamana camtu camni apasal apsal "
     "kenape nape ape mende sikit sket jugak pulak jom weh doh tahniah syabas "
     # vocabulary Indonesian says otherwise (id: mobil, gratis, uang, coba, rusak, besok …)
     "kereta percuma teruk hampeh lembap rosak sahaja saje mahu cuba tengok tgk nampak cakap ckp "
     "faham fikir budak lelaki tandas pejabat kerajaan teksi polis universiti kualiti peratus "
     "berjaya selepas esok sekejap kejap risau kahwin seronok telefon nombor akaun hantar "
     "dihantar penghantaran baiki dibaiki membaiki perkhidmatan bilik tapau lepak awek "
     "ringgit malaysia kerana pastu kesian sila sukar bandar jabatan bahawa iaitu encik puan "
     "makcik pakcik petang kelmarin kene pegi lawa hensem comel lawak kelakar sume "
     # the trade's words: branch, worth it, reasonable, package, card, charge, company …
     "cawangan berbaloi berpatutan pakej kad caj yuran syarikat kakitangan pengurus kaunter "
     "tempahan tempah beratur ais peribadi tempatan rangkaian talian minit "
     # everyday speech: ok-never-mind, why, because, cute, great fun, oh no
     "takpe takpa takpelah takkan syok gempak alamak adoi adui aiyo aiyoh walao kuih mamat "
     "minah pakwe makwe cun hodoh bangang bengap lembab fasal ker klu "
     # the regions' own words: Kelantan and Terengganu, the north, Sarawak, Sabah
     "ambo gapo guane bakpe sokmo mung hok habaq ghoyak awat pasai toksah kamek kitak sidak "
     "sikda sikdak kmk polah kedak kamurang"),
    (1.5, "blh mcm semak wang bas sbb hendak harini arini smlm rm mai dok dop nok maok mok sik "
          "mun kenak bah"),
    (1.0,
     "tk x dah dh bila sebab lepas semalam kawan khidmat layan bil kot la tu ni betul kedai "
     "sedap penat wei semasa sebarang guna gembira ko abah apabila pi tukar laju jualan "
     "abg bg skit pasal tok dak lok"),
    # common in Indonesian reviews too (each in more than 1 % of SmSA's training sentences)
    (0.5, "tak boleh macam dekat ramai sejuk tengah"),
    (0.5, "raya tq terbaik ialah mesti"),
)
ID_EVIDENCE: dict[str, float] = _weighted(
    (2.0,
     # particles, negation and pronouns of colloquial Indonesian
     "gak ga gk nggak ngga nggk enggak engga kagak ndak udah udh uda aja ajah banget bgt bngt "
     "dong sih kok gimana gmn gmna gimna nih tuh deh kalian gue gw gua lo lu loe elo doang mulu "
     "kayak kyk bikin bilang ngomong nonton ngerti mikir pengen pingin pengin gitu gini "
     "makasih mksh trims soalnya makanya dapet bener beneran cepet seneng yuk ayo abis ntar "
     "cowok cewek bokap nyokap wkwk wkwkwk anjir njir gaes mantul "
     # vocabulary Malay says otherwise (ms: kereta, percuma, wang, cuba, rosak, esok …)
     "uang mobil gratis coba mencoba dicoba rusak jelek toko kantor kapan kpn karena krn karna "
     "paham pikir telepon nomor akun kirim dikirim pengiriman perbaiki diperbaiki layanan "
     "besok kemarin kmrn kmarin kemaren setelah sesudah meskipun dikit ama nyaman keren seru "
     "indonesia rupiah bahwa yaitu sore lumayan silakan "
     # the trade's words: card, package, cost, company, staff, queue, credit, shipping …
     "kartu paket biaya perusahaan karyawan manajer antre antri pulsa ongkir resi rekening "
     "pribadi jaringan menit detik kue lebaran "
     # everyday speech: maybe, moments ago, better, boyfriend, friend, auntie …
     "kayaknya loh lho entar bentar barusan malem ngapain mending mendingan temen pacar "
     "gebetan tante goblok kampret gokil baper mager gabut santuy bucin lebay alay cemilan "
     "nongkrong udahan belom atuh euy"),
    (1.5, "bisa bs mau pake emang emg sampe enak mbak sulit bapak lucu cabang pesanan sinyal"),
    (1.0, "kalo klo iya pas si tdk kota teman resto oke gara apalagi dingin kurir yah aduh adek "
          "bakal kek siang mas meski rb jt rp"),
    (0.5, "cuma lihat liat ingin agar saat parah kamu pesan saja tidak ibu bu merupakan"),
)

# Sentiment lexicon: word -> weight (positive good). Used for every language; the learned
# model adds to it for Indonesian and Malay.


def _words(text: str) -> list[str]:
    return text.split()


SENTIMENT: dict[str, float] = {}
for _w in _words(
    "love loved lovely great thanks thank awesome amazing best good nice excellent happy "
    "fast helpful recommend recommended perfect fantastic wonderful glad appreciate "
    "appreciated brilliant cool superb pleased delighted enjoy enjoyed beautiful friendly "
    "quick easy smooth congrats congratulations yay favourite favorite kudos outstanding "
    "mantap mantul keren bagus puas cepat makasih suka senang hebat top sedap terbaik "
    "gercep ramah memuaskan sukses enak nikmat murah lezat nyaman recomended rekomendasi "
    "cantik oke ok mantab asik asyik lancar membantu terima kasih best syukur alhamdulillah "
    "bersih worth terjangkau happy cinta sayang seronok gembira cun "
    # more of the same, and the forms people inflect them into
    "kencang stabil solid reliable sweet sweetest friendliest fastest loves loving enjoying "
    "thankful grateful impressed satisfied syabas berbaloi peramah gercep sigap tanggap "
    "responsif juara nagih"
):
    SENTIMENT[_w] = 1.0
for _w in _words(
    "worst terrible awful bad broken useless horrible scam angry disappointed disappointing "
    "disappointment rude unacceptable ridiculous hate hated poor pathetic shame shameful "
    "annoying annoyed frustrated frustrating sucks suck crap garbage trash joke nightmare "
    "fail failed failing failure wrong problem problems issue issues error slow delayed "
    "overcharged ripped ripoff incompetent unhelpful nonsense sad sorry mess worse lousy "
    "kecewa parah lambat lemot rusak hilang gangguan buruk jelek mengecewakan kapok tipu "
    "penipu penipuan mati putus lelet telat terlambat marah kesal kesel payah susah gagal "
    "rosak teruk hampeh lembap mahal kotor bau basi lama benci menyesal sedih capek ribet "
    "anjir anjing bangsat goblok bodoh tolol sampah zonk nyesel hancur error bohong "
    "disappoint disappoints fails sucked hates worst kasar diabaikan"
):
    SENTIMENT[_w] = -1.0
SENTIMENT.update({"emo_" + e: 1.0 for e in EMOJI_POSITIVE})
SENTIMENT.update({"emo_" + e: -1.0 for e in EMOJI_NEGATIVE})
SENTIMENT["emo_laugh"] = 0.3
NEGATORS = frozenset({"not", "no", "never", "tidak", "bukan", "kurang", "don't", "didn't",
                      "isn't", "wasn't", "won't", "can't", "doesn't", "aren't", "belum"})

# Words a negation reaches across to the word after ("not very good", "tidak terlalu enak"); any
# other word in between takes the negation itself ("gak bales, kecewa": the disappointment stays).
NEGATION_BRIDGES = frozenset({
    "very", "so", "too", "really", "that", "quite", "even", "exactly", "all", "be", "been",
    "terlalu", "begitu", "sangat", "amat", "pernah", "cukup", "gitu", "sih",
    "juga", "lah", "la", "pun", "berapa", "seberapa", "sama", "nya",
})

# Complaint cues: word or bigram -> weight. Service failures, waiting, money back, escalation.
COMPLAINT_CUES: dict[str, float] = {
    # English
    "still": 1.0, "waiting": 1.0, "waited": 1.0, "refund": 1.2, "never": 0.8, "nobody": 1.0,
    "ignored": 1.2, "ignoring": 1.2, "broken": 1.2, "broke": 0.8, "lost": 0.8, "missing": 1.0,
    "cancel": 0.6, "cancelled": 0.8, "canceled": 0.8, "charged": 1.0, "overcharged": 1.5,
    "worst": 1.5, "unacceptable": 1.5, "disappointed": 1.3, "disappointing": 1.2, "fix": 0.8,
    "disappoint": 1.0, "disappoints": 1.0,
    "fixed": 0.5, "terrible": 1.2, "awful": 1.2, "horrible": 1.2, "useless": 1.2, "rude": 1.2,
    "delayed": 1.0, "delay": 0.8, "late": 0.6, "error": 0.8, "outage": 1.2, "down": 0.5,
    "doesn't": 0.7, "didn't": 0.6, "won't": 0.6, "can't": 0.5, "not": 0.4, "no": 0.3,
    "yet": 0.5, "again": 0.6, "ridiculous": 1.3, "joke": 0.8, "pathetic": 1.5, "fail": 1.0,
    "failed": 1.0, "wrong": 0.9, "problem": 0.9, "issue": 0.8, "issues": 0.8, "complaint": 1.2,
    "poor": 1.0, "charge": 0.5, "money": 0.5, "hours": 0.5, "days": 0.5, "weeks": 0.7,
    "months": 0.6, "stuck": 1.0, "crash": 1.0, "crashes": 1.0, "crashing": 1.0, "slow": 0.9,
    "sucks": 1.2, "hate": 1.0, "annoying": 1.0, "frustrating": 1.2, "frustrated": 1.2,
    "shame": 0.8, "garbage": 1.2, "trash": 1.0, "scam": 1.3, "sort": 0.4, "response": 0.6,
    "reply": 0.5, "answer": 0.4, "damaged": 1.2, "faulty": 1.2, "incorrect": 0.9, "keeps": 0.7,
    "bad": 0.9, "worse": 1.0, "mess": 0.9, "nothing": 0.5, "anyone": 0.4, "lie": 0.8,
    "lied": 1.0, "customer": 0.3, "service": 0.3, "deliver": 0.5, "delivered": 0.4,
    "delivery": 0.4, "arrived": 0.3, "received": 0.3, "ordered": 0.4, "paid": 0.6,
    "wtf": 1.0, "smh": 0.8, "seriously": 0.8, "ugh": 0.9, "why": 0.5,
    # Indonesian / Malay
    "belum": 1.0, "lapor": 1.0, "komplain": 1.3, "keluhan": 1.2, "hilang": 1.0,
    "gangguan": 1.3, "rusak": 1.2, "lemot": 1.2, "lambat": 1.0, "telat": 1.0, "terlambat": 1.0,
    "kecewa": 1.4, "respon": 0.8, "dibalas": 0.8, "balas": 0.6, "gagal": 1.1, "rosak": 1.2,
    "teruk": 1.3, "tolong": 0.7, "kapan": 0.6, "kenapa": 0.6, "hampeh": 1.4, "lembap": 1.0,
    "mati": 0.8, "putus": 0.9, "tidak": 0.4, "padahal": 0.8, "masih": 0.6,
    "terus": 0.4, "parah": 1.2, "kesal": 1.2, "kesel": 1.2, "payah": 1.1, "menunggu": 0.9,
    "nunggu": 0.9, "dana": 0.4, "saldo": 0.4, "potong": 0.6, "terpotong": 1.0, "pulsa": 0.3,
    "sinyal": 0.6, "lelet": 1.2, "mengecewakan": 1.4, "tipu": 1.2, "penipu": 1.3,
    "gimana": 0.5, "mana": 0.4, "sudah": 0.2, "jawab": 0.4, "dijawab": 0.6, "solusi": 0.8,
    "ganti": 0.4, "rugi": 1.0,
    # the Indonesian/Malay for English cues above (wrong, rude, ignored, cancelled, stuck, charged;
    # not "macet", which is as often the traffic on the way)
    "salah": 0.9, "kasar": 1.2, "diabaikan": 1.2, "dibatalkan": 0.8, "batal": 0.6,
    "nyangkut": 1.0, "tersangkut": 1.0, "ditagih": 0.8, "dicaj": 0.8,
}
COMPLAINT_BIGRAMS: dict[str, float] = {
    "still waiting": 1.5, "still not": 1.2, "still no": 1.2, "no response": 1.5,
    "no reply": 1.5, "not working": 1.5, "doesn't work": 1.5, "isn't working": 1.5,
    "never received": 1.5, "never arrived": 1.5, "customer service": 0.6, "on hold": 1.2,
    "been waiting": 1.4, "not happy": 1.5, "not impressed": 1.5, "what's going": 0.8,
    "sort out": 0.8, "sort it": 0.8, "money back": 1.3, "no one": 1.0, "fed up": 1.5,
    "belum ada": 1.0, "tidak bisa": 1.0, "belum dibalas": 1.5, "tidak ada": 0.6,
    "tidak respon": 1.5, "sampai sekarang": 1.2, "dari kemarin": 1.0, "kok tidak": 1.0,
    "tidak boleh": 0.8, "tidak dapat": 0.8, "sudah lapor": 1.5, "belum sampai": 1.3,
    "tidak sampai": 1.2, "mohon bantuannya": 0.6, "tolong dong": 0.8, "tidak jelas": 1.0,
}
PRAISE_WORDS = frozenset({
    "thanks", "thank", "love", "great", "awesome", "amazing", "best", "excellent", "perfect",
    "fantastic", "brilliant", "appreciate", "kudos", "congrats", "makasih", "terima",
    "mantap", "keren", "bagus", "puas", "terbaik", "hebat", "recommended", "emo_love",
    "emo_heart", "emo_thumbs_up", "emo_clap",
})
QUESTION_WORDS = frozenset({
    "how", "what", "when", "where", "why", "who", "which", "can", "could", "does", "do", "is",
    "are", "will", "would", "should", "apakah", "gimana", "bagaimana", "berapa", "kapan",
    "dimana", "mana", "bisa", "boleh", "ada", "kenapa", "mengapa", "siapa", "apa", "camne",
})
# A mention that is no complaint and not praise is a question when one of its first two words is
# one of these (or it has a "?"): the intent the label arithmetic of rules and corrections
# (listening.analysis.rules) and the word-list baseline (listening.analysis.lexicon) give it.
QUESTION_CUES = frozenset({
    "how", "what", "when", "where", "why", "can", "does", "is", "apakah", "gimana", "bagaimana",
    "berapa", "kapan", "dimana", "bisa", "boleh", "ada",
})

# Spam cues (adverts, follow-for-follow, money schemes) in the three languages.
SPAM_CUES: dict[str, float] = {
    "iklan": 1.5, "percuma": 0.8, "jual": 1.2, "murah": 0.8, "followers": 1.2, "follower": 1.0,
    "promo": 1.0, "diskon": 0.9, "giveaway": 1.0, "subscribe": 1.0, "forex": 1.5, "slot": 1.0,
    "gacor": 2.0, "pinjaman": 1.2, "pinjol": 1.5, "whatsapp": 1.0, "wa": 0.6, "order": 0.4,
    "free": 0.6, "click": 1.0, "channel": 0.8, "win": 0.6, "cheap": 1.0, "buy": 0.6,
    "dapatkan": 0.9, "hubungi": 1.0, "daftar": 0.8, "bonus": 1.0, "deposit": 1.2,
    "togel": 2.0, "judi": 1.5, "casino": 1.5, "jackpot": 1.5, "investasi": 0.8, "profit": 1.0,
    "untung": 0.6, "reseller": 1.0, "dropship": 1.0, "ready": 0.4, "stok": 0.5,
    "grosir": 1.0, "online": 0.4, "likes": 0.8, "viewers": 0.8, "jasa": 1.0, "bisnis": 0.6,
    "peluang": 0.8, "pendapatan": 0.8, "income": 1.0, "earn": 1.0, "money": 0.4,
    "visit": 0.8, "website": 0.8, "link": 0.5, "bio": 0.6, "dm": 0.5, "inbox": 0.6,
    "followback": 1.5, "f4f": 1.5, "l4l": 1.5, "sub4sub": 1.5, "subs": 0.8, "promosi": 1.0,
    "kredit": 0.6, "tunai": 0.6, "klik": 1.0, "gratis": 0.6, "hadiah": 0.6, "menang": 0.5,
}

# Self-promotion: "my channel", "our new video" (see engine/spam.py). Not "account" or "order",
# which customers write about their own.
PROMO_NOUNS = frozenset({
    "channel", "channels", "video", "videos", "vid", "vids", "song", "songs", "track", "tracks",
    "music", "playlist", "blog", "page", "cover", "covers", "rap", "raps", "mixtape", "album",
    "website", "site", "shop", "store", "youtube", "instagram", "profile", "stream", "podcast",
})

# What a mention does beyond its words (engine/pragmatics.py).
# A problem put right ("masalahnya udah beres", "support fixed it"): the words that say it is,
# the markers that make an Indonesian/Malay one done ("sudah beres", not "biar cepat beres"), and
# the words before one that make it a wish, a request or a denial instead.
RESOLUTION_WORDS = frozenset({
    "fixed", "resolved", "sorted", "solved", "restored", "refunded", "fixing", "sorting",
    "resolving", "solving",
    "beres", "diberesin", "dibereskan", "selesai", "diselesaikan", "teratasi", "terselesaikan",
    "diatasi", "pulih", "normal", "settle", "settled", "masuk", "cair", "balik", "kembali",
    "sampai", "datang", "diganti", "aman", "lancar", "berfungsi", "nyala",
})
# Resolution words that say "done" by themselves (an English past form, an Indonesian ter- form).
RESOLVED_BY_THEMSELVES = frozenset({
    "fixed", "resolved", "sorted", "solved", "restored", "refunded", "teratasi",
    "terselesaikan", "settled",
})
# ("thanks for sorting it": "for" after thanks says done, too)
COMPLETION_MARKERS = frozenset({
    "sudah", "telah", "akhirnya", "sekarang", "finally", "already", "now", "got", "for",
})
RESOLUTION_BLOCKERS = frozenset({
    "not", "no", "never", "tidak", "bukan", "belum", "kurang", "don't", "didn't", "isn't",
    "wasn't", "won't", "can't", "cannot", "hasn't", "haven't", "doesn't", "aren't",
    "please", "to", "be", "get", "will", "would", "need", "needs", "want", "wants", "should",
    "must", "when", "hope", "hopefully", "if", "until", "kapan", "tolong", "mohon", "harus",
    "segera", "biar", "supaya", "agar", "semoga", "kalau", "mau", "nak", "minta", "cepat",
    "waiting", "wait", "menunggu", "without", "being",
})
# Negation in the wide sense: a question holding one is no plain request for information.
DENIALS = NEGATORS | {"haven't", "hasn't", "wasn't", "weren't", "cannot", "without", "nothing",
                      "nobody", "tiada", "takde", "xde", "jangan", "usah"}
CONTRASTS = frozenset({"tapi", "tetapi", "namun", "padahal", "but", "however", "though",
                       "although", "cuma", "malah"})
# Words that only place a question in time ("still on?", "masih ada?", "udah masuk belum?").
ASPECT_PARTICLES = frozenset({"still", "yet", "already", "again", "now", "masih", "sudah",
                              "lagi", "sekarang", "terus"})
# Questions that are grievances however they are asked ("why is my order …?", "kok gini?",
# "is the app down?").
GRIEVANCE_QUESTIONS = frozenset({"why", "kenapa", "mengapa", "kok", "nape", "apasal", "down",
                                 "offline", "outage"})
# What may follow a question's last word before its "?" or its end: "…gak ya kak? makasih".
QUESTION_CLOSERS = frozenset({
    "ya", "yah", "sih", "kak", "kakak", "admin", "gan", "dong", "nih", "deh", "guys", "bang",
    "mas", "mbak", "pak", "bu", "lah", "la", "eh", "thanks", "thank", "you", "makasih",
    "terima", "kasih", "tq", "please", "@user",
})
# The last word of a question that asks "or not?": "masih ada gak?", "dah ada ke belum?".
TAG_NEGATORS = frozenset({"tidak", "belum", "not", "no"})
# Waiting for a person is an arrangement, not a grievance ("waiting for a friend").
WAITING_WORDS = frozenset({"waiting", "waited", "wait", "menunggu", "tunggu", "nunggu"})
# So is waiting told as what one is doing now ("lagi nunggu pesenan", "waiting in line at …"),
# unless it has lasted ("masih", "still", "been", "sejam", "40 minutes").
NOW_DOING = frozenset({"lagi", "sedang", "tengah", "currently"})
IN_LINE = frozenset({"line", "queue", "antrian", "antri", "ngantri", "giliran"})
HAS_LASTED = frozenset({"still", "masih", "sudah", "been", "sejam", "seharian", "lama", "long",
                        "forever", "ages", "berjam"})
# Units of time, which say it has lasted after a count ("40 menit", "an hour"), not in "hari ini".
TIME_UNITS = frozenset({"menit", "jam", "hari", "minggu", "bulan", "minit", "minutes", "mins",
                        "hour", "hours", "days", "weeks"})
COUNTS = frozenset({"<num>", "a", "an", "few", "beberapa", "satu", "dua", "tiga", "setengah"})
# A negation of knowing or expecting is surprise, not a failure ("didn't know they sponsored
# the marathon", "gak nyangka", "tak sangka").
COGNITION = frozenset({
    "know", "knew", "realise", "realize", "realised", "realized", "expect", "expected", "think",
    "notice", "noticed", "tahu", "nyangka", "sangka", "menyangka", "kira", "sedar", "perasan",
    "ngeh",
})
COMPANIONS = frozenset({
    "friend", "friends", "mate", "mates", "bf", "gf", "boyfriend", "girlfriend", "wife",
    "husband", "mum", "mom", "dad", "sister", "brother", "cousin", "family", "colleague",
    "colleagues", "someone", "bestie", "date", "teman", "temen", "kawan", "pacar", "adik",
    "sahabat", "ayang", "suami", "istri", "mama", "papa", "ibu", "ayah", "geng",
})
# Words of plans and hearsay ("besok mau ke …", "esok nak pergi", "katanya", "ternyata"): a
# mention holding one and no sentiment word tells, it does not judge.
PLAN_OR_HEARSAY = frozenset({
    "besok", "nanti", "esok", "lusa", "mau", "pengen", "pingin", "ingin", "nak", "akan",
    "bakal", "rencana", "tomorrow", "tonight", "later", "might", "planning", "gonna", "wanna",
    "katanya", "ternyata", "rupanya", "kabarnya", "denger", "dengar", "dengar2", "denger2",
})
# Shopping words customers use as much as advertisers ("seneng bgt promo ongkir gratis, dapet
# murah"): in Indonesian and Malay they count towards spam only beside a call to act or a way to
# get in touch (engine/spam.py), or beside a word only adverts use.
SHOPPING_WORDS = frozenset({
    "promo", "diskon", "gratis", "murah", "free", "cheap", "order", "bonus", "ready", "stok",
    "online", "hadiah", "percuma", "money", "buy", "win", "menang", "untung", "giveaway",
})
CALLS_TO_ACT = frozenset({
    "wa", "whatsapp", "dm", "inbox", "hubungi", "klik", "click", "daftar", "join", "visit",
    "link", "bio", "subscribe", "telegram", "pm", "cek", "check", "buruan", "dapatkan", "search",
    "cari", "follow",
})
