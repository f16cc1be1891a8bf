//! The widget's own words. Components never hold text of their own: they take it from
//! here, in the card's language, with English as the fallback for any language not (yet)
//! translated.

/// Every phrase the card shows or announces. `{}` marks where a value goes.
#[derive(Debug)]
pub struct Words {
    /// Prefix of the byline: "By {}".
    pub by: &'static str,
    /// Joins the last two names of a list: "A, B and C".
    pub and: &'static str,
    pub updated: &'static str,
    pub photo_credit: &'static str,
    pub image_unavailable: &'static str,
    pub read_full_story: &'static str,
    /// "{} contributed to this report."
    pub contributed: &'static str,
    /// Heading of the signup form: "Subscribe to {}".
    pub subscribe_to: &'static str,
    /// The newsletter's name when the publisher's is unknown.
    pub newsletter_fallback: &'static str,
    /// "{} Newsletter": the default name from the publisher's.
    pub newsletter_of: &'static str,
    pub email_label: &'static str,
    pub email_placeholder: &'static str,
    pub email_hint: &'static str,
    /// The optional name field's label (`fields="name"`).
    pub name_label: &'static str,
    /// A form offering several newsletters, sent with none ticked.
    pub choose_newsletter: &'static str,
    pub consent: &'static str,
    pub privacy_policy: &'static str,
    pub subscribe: &'static str,
    pub sending: &'static str,
    pub email_missing: &'static str,
    pub email_invalid: &'static str,
    pub consent_missing: &'static str,
    pub subscribed: &'static str,
    pub pending: &'static str,
    pub already_subscribed: &'static str,
    pub rate_limited: &'static str,
    pub server_error: &'static str,
    pub network_error: &'static str,
    pub retrying: &'static str,
    pub queued: &'static str,
    /// Before the outcome of a queued signup sent on a later visit.
    pub outbox_sent: &'static str,
    /// The honeypot's label, which only bots see.
    pub trap_label: &'static str,
    /// Month names and the date pattern, for dates rendered on the server; the browser
    /// uses `Intl` and says the same for each translated language.
    pub months: [&'static str; 12],
    /// `{month}`, `{day}`, `{year}`.
    pub date: &'static str,
    /// A date known only to the month: `{month}`, `{year}`.
    pub month_year: &'static str,
}

/// Tables are statics, one for each language: the same table is the same words. (Props
/// holding words are compared on every render; comparing them phrase by phrase cost 1.2 KB
/// of code in the wasm.)
impl PartialEq for Words {
    fn eq(&self, other: &Words) -> bool {
        std::ptr::eq(self, other)
    }
}

pub static EN: Words = Words {
    by: "By {}",
    and: " and ",
    updated: "Updated",
    photo_credit: "Photo:",
    image_unavailable: "Image unavailable",
    read_full_story: "Read the full story",
    contributed: "{} contributed to this report.",
    subscribe_to: "Subscribe to {}",
    newsletter_fallback: "our newsletter",
    newsletter_of: "{} Newsletter",
    email_label: "Email address",
    email_placeholder: "you@example.org",
    email_hint: "Stay updated with the latest news!",
    name_label: "First name (optional)",
    choose_newsletter: "Choose at least one newsletter.",
    consent: "I agree to receive this newsletter by email.",
    privacy_policy: "Privacy policy",
    subscribe: "Subscribe",
    sending: "Subscribing…",
    email_missing: "Enter your email address.",
    email_invalid: "Enter an email address like name@example.org.",
    consent_missing: "Please tick the box to agree before subscribing.",
    subscribed: "You're subscribed. Thank you!",
    pending: "Almost done: check your inbox to confirm your subscription.",
    already_subscribed: "You're already subscribed. Thank you!",
    rate_limited: "Too many attempts. Please try again in a moment.",
    server_error: "Something went wrong on our side. Please try again.",
    network_error: "We couldn't reach the server. Check your connection and try again.",
    retrying: "Connection trouble. Trying again…",
    queued: "You seem to be offline. Your subscription is saved on this device and will be sent as soon as you're back online.",
    outbox_sent: "Your saved subscription has been sent.",
    trap_label: "Leave this field empty",
    months: [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ],
    date: "{month} {day}, {year}",
    month_year: "{month} {year}",
};

pub static ES: Words = Words {
    by: "Por {}",
    and: " y ",
    updated: "Actualizado",
    photo_credit: "Foto:",
    image_unavailable: "Imagen no disponible",
    read_full_story: "Leer la noticia completa",
    contributed: "Con la colaboración de {}.",
    subscribe_to: "Suscríbete a {}",
    newsletter_fallback: "nuestro boletín",
    newsletter_of: "Boletín de {}",
    email_label: "Correo electrónico",
    email_placeholder: "tu@ejemplo.org",
    email_hint: "¡Mantente al día con las últimas noticias!",
    name_label: "Nombre (opcional)",
    choose_newsletter: "Elige al menos un boletín.",
    consent: "Acepto recibir este boletín por correo electrónico.",
    privacy_policy: "Política de privacidad",
    subscribe: "Suscribirme",
    sending: "Suscribiendo…",
    email_missing: "Escribe tu dirección de correo.",
    email_invalid: "Escribe una dirección como nombre@ejemplo.org.",
    consent_missing: "Marca la casilla para aceptar antes de suscribirte.",
    subscribed: "Te has suscrito. ¡Gracias!",
    pending: "Casi listo: revisa tu bandeja de entrada para confirmar la suscripción.",
    already_subscribed: "Ya estás suscrito. ¡Gracias!",
    rate_limited: "Demasiados intentos. Vuelve a intentarlo en un momento.",
    server_error: "Algo salió mal de nuestro lado. Inténtalo de nuevo.",
    network_error: "No pudimos conectar con el servidor. Comprueba tu conexión e inténtalo de nuevo.",
    retrying: "Problemas de conexión. Reintentando…",
    queued: "Parece que no tienes conexión. Tu suscripción se ha guardado en este dispositivo y se enviará en cuanto vuelvas a estar en línea.",
    outbox_sent: "Tu suscripción guardada se ha enviado.",
    trap_label: "Deja este campo vacío",
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    date: "{day} de {month} de {year}",
    month_year: "{month} de {year}",
};

pub static FR: Words = Words {
    by: "Par {}",
    and: " et ",
    updated: "Mis à jour",
    photo_credit: "Photo :",
    image_unavailable: "Image indisponible",
    read_full_story: "Lire l’article complet",
    contributed: "Avec la contribution de {}.",
    subscribe_to: "Abonnez-vous à {}",
    newsletter_fallback: "notre newsletter",
    newsletter_of: "Newsletter de {}",
    email_label: "Adresse e-mail",
    email_placeholder: "vous@exemple.org",
    email_hint: "Restez informé des dernières actualités !",
    name_label: "Prénom (facultatif)",
    choose_newsletter: "Choisissez au moins une newsletter.",
    consent: "J’accepte de recevoir cette newsletter par e-mail.",
    privacy_policy: "Politique de confidentialité",
    subscribe: "S’abonner",
    sending: "Abonnement…",
    email_missing: "Saisissez votre adresse e-mail.",
    email_invalid: "Saisissez une adresse comme nom@exemple.org.",
    consent_missing: "Cochez la case pour accepter avant de vous abonner.",
    subscribed: "Vous êtes abonné. Merci !",
    pending: "Presque terminé : consultez votre boîte de réception pour confirmer votre abonnement.",
    already_subscribed: "Vous êtes déjà abonné. Merci !",
    rate_limited: "Trop de tentatives. Réessayez dans un instant.",
    server_error: "Un problème est survenu de notre côté. Veuillez réessayer.",
    network_error: "Impossible de joindre le serveur. Vérifiez votre connexion et réessayez.",
    retrying: "Problème de connexion. Nouvelle tentative…",
    queued: "Vous semblez hors ligne. Votre abonnement est enregistré sur cet appareil et sera envoyé dès votre retour en ligne.",
    outbox_sent: "Votre abonnement enregistré a été envoyé.",
    trap_label: "Laissez ce champ vide",
    months: [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    date: "{day} {month} {year}",
    month_year: "{month} {year}",
};

pub static DE: Words = Words {
    by: "Von {}",
    and: " und ",
    updated: "Aktualisiert",
    photo_credit: "Foto:",
    image_unavailable: "Bild nicht verfügbar",
    read_full_story: "Ganzen Artikel lesen",
    contributed: "Mitarbeit: {}.",
    subscribe_to: "{} abonnieren",
    newsletter_fallback: "unseren Newsletter",
    newsletter_of: "{} Newsletter",
    email_label: "E-Mail-Adresse",
    email_placeholder: "name@beispiel.org",
    email_hint: "Bleiben Sie mit den neuesten Nachrichten auf dem Laufenden!",
    name_label: "Vorname (optional)",
    choose_newsletter: "Wählen Sie mindestens einen Newsletter.",
    consent: "Ich möchte diesen Newsletter per E-Mail erhalten.",
    privacy_policy: "Datenschutzerklärung",
    subscribe: "Abonnieren",
    sending: "Wird abonniert…",
    email_missing: "Bitte geben Sie Ihre E-Mail-Adresse ein.",
    email_invalid: "Bitte geben Sie eine Adresse wie name@beispiel.org ein.",
    consent_missing: "Bitte setzen Sie vor dem Abonnieren das Häkchen.",
    subscribed: "Sie haben den Newsletter abonniert. Vielen Dank!",
    pending: "Fast geschafft: Bitte bestätigen Sie Ihr Abonnement über den Link in Ihrem Posteingang.",
    already_subscribed: "Sie haben den Newsletter bereits abonniert. Vielen Dank!",
    rate_limited: "Zu viele Versuche. Bitte versuchen Sie es gleich noch einmal.",
    server_error: "Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.",
    network_error: "Der Server war nicht erreichbar. Bitte prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
    retrying: "Verbindungsproblem. Neuer Versuch…",
    queued: "Sie scheinen offline zu sein. Ihr Abonnement ist auf diesem Gerät gespeichert und wird gesendet, sobald Sie wieder online sind.",
    outbox_sent: "Ihr gespeichertes Abonnement wurde gesendet.",
    trap_label: "Dieses Feld leer lassen",
    months: [
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ],
    date: "{day}. {month} {year}",
    month_year: "{month} {year}",
};

pub static HE: Words = Words {
    by: "מאת {}",
    and: " ו",
    updated: "עודכן",
    photo_credit: "צילום:",
    image_unavailable: "התמונה אינה זמינה",
    read_full_story: "לכתבה המלאה",
    contributed: "השתתפו בהכנת הכתבה: {}.",
    subscribe_to: "הרשמה ל{}",
    newsletter_fallback: "הניוזלטר שלנו",
    newsletter_of: "הניוזלטר של {}",
    email_label: "כתובת דוא״ל",
    email_placeholder: "you@example.org",
    email_hint: "הישארו מעודכנים בחדשות האחרונות!",
    name_label: "שם פרטי (רשות)",
    choose_newsletter: "יש לבחור לפחות ניוזלטר אחד.",
    consent: "אני מסכים/ה לקבל את הניוזלטר בדוא״ל.",
    privacy_policy: "מדיניות פרטיות",
    subscribe: "הרשמה",
    sending: "נרשמים…",
    email_missing: "יש להזין כתובת דוא״ל.",
    email_invalid: "יש להזין כתובת כמו name@example.org.",
    consent_missing: "יש לסמן את התיבה לפני ההרשמה.",
    subscribed: "נרשמת בהצלחה. תודה!",
    pending: "כמעט סיימנו: בדקו את תיבת הדואר כדי לאשר את ההרשמה.",
    already_subscribed: "כבר נרשמת. תודה!",
    rate_limited: "יותר מדי ניסיונות. נסו שוב בעוד רגע.",
    server_error: "משהו השתבש אצלנו. נסו שוב.",
    network_error: "לא הצלחנו להתחבר לשרת. בדקו את החיבור ונסו שוב.",
    retrying: "בעיית חיבור. מנסים שוב…",
    queued: "נראה שאין חיבור לרשת. ההרשמה נשמרה במכשיר ותישלח כשהחיבור יחזור.",
    outbox_sent: "ההרשמה השמורה נשלחה.",
    trap_label: "השאירו שדה זה ריק",
    months: [
        "ינואר",
        "פברואר",
        "מרץ",
        "אפריל",
        "מאי",
        "יוני",
        "יולי",
        "אוגוסט",
        "ספטמבר",
        "אוקטובר",
        "נובמבר",
        "דצמבר",
    ],
    date: "{day} ב{month} {year}",
    month_year: "{month} {year}",
};

pub static AR: Words = Words {
    by: "بقلم {}",
    and: " و",
    updated: "تم التحديث",
    photo_credit: "تصوير:",
    image_unavailable: "الصورة غير متاحة",
    read_full_story: "اقرأ القصة كاملة",
    contributed: "ساهم في هذا التقرير: {}.",
    subscribe_to: "اشترك في {}",
    newsletter_fallback: "نشرتنا الإخبارية",
    newsletter_of: "النشرة الإخبارية لـ{}",
    email_label: "البريد الإلكتروني",
    email_placeholder: "you@example.org",
    email_hint: "ابقَ على اطلاع بآخر الأخبار!",
    name_label: "الاسم الأول (اختياري)",
    choose_newsletter: "اختر نشرة إخبارية واحدة على الأقل.",
    consent: "أوافق على تلقي هذه النشرة عبر البريد الإلكتروني.",
    privacy_policy: "سياسة الخصوصية",
    subscribe: "اشترك",
    sending: "جارٍ الاشتراك…",
    email_missing: "أدخل عنوان بريدك الإلكتروني.",
    email_invalid: "أدخل عنوانًا مثل name@example.org.",
    consent_missing: "يُرجى تحديد المربع للموافقة قبل الاشتراك.",
    subscribed: "تم اشتراكك. شكرًا لك!",
    pending: "اقتربنا: تحقق من بريدك الوارد لتأكيد اشتراكك.",
    already_subscribed: "أنت مشترك بالفعل. شكرًا لك!",
    rate_limited: "محاولات كثيرة جدًا. حاول مرة أخرى بعد قليل.",
    server_error: "حدث خطأ من جانبنا. يُرجى المحاولة مرة أخرى.",
    network_error: "تعذّر الوصول إلى الخادم. تحقق من اتصالك وحاول مرة أخرى.",
    retrying: "مشكلة في الاتصال. جارٍ إعادة المحاولة…",
    queued: "يبدو أنك غير متصل. تم حفظ اشتراكك على هذا الجهاز وسيُرسل فور عودة الاتصال.",
    outbox_sent: "تم إرسال اشتراكك المحفوظ.",
    trap_label: "اترك هذا الحقل فارغًا",
    months: [
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ],
    date: "{day} {month} {year}",
    month_year: "{month} {year}",
};

pub static MY: Words = Words {
    by: "ရေးသားသူ - {}",
    and: " နှင့် ",
    updated: "ပြင်ဆင်ထားသည်",
    photo_credit: "ဓာတ်ပုံ -",
    image_unavailable: "ဓာတ်ပုံ မရရှိနိုင်ပါ",
    read_full_story: "သတင်းအပြည့်အစုံ ဖတ်ရန်",
    contributed: "ဤသတင်းအတွက် {} တို့က ပူးပေါင်းပါဝင်ခဲ့သည်။",
    subscribe_to: "{} ကို စာရင်းသွင်းပါ",
    newsletter_fallback: "ကျွန်ုပ်တို့၏ သတင်းလွှာ",
    newsletter_of: "{} သတင်းလွှာ",
    email_label: "အီးမေးလ်လိပ်စာ",
    email_placeholder: "you@example.org",
    email_hint: "နောက်ဆုံးရ သတင်းများကို အမြဲသိရှိနေပါ။",
    name_label: "အမည် (မဖြည့်လည်းရသည်)",
    choose_newsletter: "အနည်းဆုံး သတင်းလွှာ တစ်ခု ရွေးပါ။",
    consent: "ဤသတင်းလွှာကို အီးမေးလ်ဖြင့် လက်ခံရန် သဘောတူပါသည်။",
    privacy_policy: "ကိုယ်ရေးအချက်အလက် မူဝါဒ",
    subscribe: "စာရင်းသွင်းရန်",
    sending: "စာရင်းသွင်းနေသည်…",
    email_missing: "သင့်အီးမေးလ်လိပ်စာကို ထည့်ပါ။",
    email_invalid: "name@example.org ကဲ့သို့ လိပ်စာတစ်ခု ထည့်ပါ။",
    consent_missing: "စာရင်းမသွင်းမီ သဘောတူကြောင်း အကွက်ကို အမှန်ခြစ်ပါ။",
    subscribed: "စာရင်းသွင်းပြီးပါပြီ။ ကျေးဇူးတင်ပါသည်။",
    pending: "နီးပါးပြီးပါပြီ - အတည်ပြုရန် သင့်အီးမေးလ် ဝင်စာပုံးကို စစ်ဆေးပါ။",
    already_subscribed: "သင် စာရင်းသွင်းပြီးသား ဖြစ်ပါသည်။ ကျေးဇူးတင်ပါသည်။",
    rate_limited: "ကြိုးစားမှု များလွန်းပါသည်။ ခဏအကြာတွင် ထပ်ကြိုးစားပါ။",
    server_error: "ကျွန်ုပ်တို့ဘက်တွင် အမှားတစ်ခု ဖြစ်ပွားခဲ့သည်။ ထပ်မံကြိုးစားပါ။",
    network_error: "ဆာဗာသို့ ဆက်သွယ်၍ မရပါ။ သင့်ချိတ်ဆက်မှုကို စစ်ဆေးပြီး ထပ်ကြိုးစားပါ။",
    retrying: "ချိတ်ဆက်မှု ပြဿနာ။ ထပ်မံကြိုးစားနေသည်…",
    queued: "သင် အော့ဖ်လိုင်း ဖြစ်နေပုံရသည်။ သင့်စာရင်းသွင်းမှုကို ဤစက်ပေါ်တွင် သိမ်းထားပြီး အွန်လိုင်းပြန်ဖြစ်သည်နှင့် ပို့ပေးပါမည်။",
    outbox_sent: "သိမ်းထားသော စာရင်းသွင်းမှုကို ပို့ပြီးပါပြီ။",
    trap_label: "ဤအကွက်ကို ဗလာထားပါ",
    months: [
        "ဇန်နဝါရီ",
        "ဖေဖော်ဝါရီ",
        "မတ်",
        "ဧပြီ",
        "မေ",
        "ဇွန်",
        "ဇူလိုင်",
        "ဩဂုတ်",
        "စက်တင်ဘာ",
        "အောက်တိုဘာ",
        "နိုဝင်ဘာ",
        "ဒီဇင်ဘာ",
    ],
    date: "{day} {month} {year}",
    month_year: "{month} {year}",
};

/// Translations by primary language subtag.
const TRANSLATIONS: &[(&str, &Words)] = &[
    ("en", &EN),
    ("es", &ES),
    ("fr", &FR),
    ("de", &DE),
    ("he", &HE),
    ("ar", &AR),
    ("my", &MY),
];

/// The words for a BCP 47 language tag (`en`, `en-GB` …); English when there is none.
/// Every language's table (the server accepts a newsletter's default name in any of them).
pub fn tables() -> impl Iterator<Item = &'static Words> {
    TRANSLATIONS.iter().map(|(_, words)| *words)
}

pub fn words(lang: &str) -> &'static Words {
    translation(lang).1
}

/// The language the widget's words for `lang` are in: its primary subtag when there is a
/// table for it, else `en` (a Persian story's card speaks English, and says so).
pub fn words_language(lang: &str) -> &'static str {
    translation(lang).0
}

fn translation(lang: &str) -> (&'static str, &'static Words) {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    TRANSLATIONS
        .iter()
        .find(|(tag, _)| tag.eq_ignore_ascii_case(primary))
        .map_or(("en", &EN), |(tag, words)| (*tag, *words))
}

/// English written outside the United States puts the day first ("6 March 2021").
const DAY_FIRST_ENGLISH: &[&str] = &["gb", "au", "nz", "ie", "in", "za", "sg", "hk", "mt"];

/// The pattern of a full date for `lang`: the table's, with the regions whose English puts
/// the day first. The server and the browser both write dates from here, so a card keeps
/// its text when the browser takes it over.
pub fn date_pattern(lang: &str) -> &'static str {
    let mut subtags = lang.split(['-', '_']);
    let primary = subtags.next().unwrap_or("");
    let day_first = primary.eq_ignore_ascii_case("en")
        && subtags.any(|s| DAY_FIRST_ENGLISH.iter().any(|r| r.eq_ignore_ascii_case(s)));
    if day_first {
        "{day} {month} {year}"
    } else {
        words(lang).date
    }
}

/// Direction of a language's script.
pub fn is_rtl(lang: &str) -> bool {
    let primary = lang.split(['-', '_']).next().unwrap_or("");
    matches!(
        primary.to_ascii_lowercase().as_str(),
        "ar" | "he" | "fa" | "ur" | "yi" | "ps" | "sd" | "ug" | "dv" | "ckb"
    )
}

/// Fills the `{}` of a phrase.
pub fn fill(phrase: &str, value: &str) -> String {
    phrase.replacen("{}", value, 1)
}

/// "A", "A and B", "A, B and C".
pub fn list(words: &Words, names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{}{}{}", init.join(", "), words.and, last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_naturally() {
        assert_eq!(list(&EN, &[]), "");
        assert_eq!(list(&EN, &["A"]), "A");
        assert_eq!(list(&EN, &["A", "B"]), "A and B");
        assert_eq!(list(&EN, &["A", "B", "C"]), "A, B and C");
    }

    #[test]
    fn every_language_has_its_words() {
        for (tag, w) in TRANSLATIONS {
            assert_eq!(words(tag), *w, "{tag}");
            for phrase in [w.by, w.contributed, w.subscribe_to, w.newsletter_of] {
                assert_eq!(phrase.matches("{}").count(), 1, "{tag}: {phrase}");
            }
            for part in ["{day}", "{month}", "{year}"] {
                assert!(w.date.contains(part), "{tag}: {}", w.date);
            }
        }
        assert_eq!(words("he-IL").read_full_story, "לכתבה המלאה");
        assert_eq!(words("DE").subscribe, "Abonnieren");
        assert_eq!(list(&ES, &["A", "B"]), "A y B");
    }

    #[test]
    fn fallback_and_direction() {
        assert_eq!(words("en-GB"), &EN);
        assert_eq!(words("xx"), &EN);
        assert_eq!(words("not a tag!"), &EN);
        assert!(is_rtl("he-IL") && is_rtl("ar") && !is_rtl("en") && !is_rtl("my"));
        assert_eq!(fill(EN.subscribe_to, "The Post"), "Subscribe to The Post");
    }

    #[test]
    fn words_say_which_language_they_are_in() {
        assert_eq!(words_language("he-IL"), "he");
        assert_eq!(
            words_language("fa"),
            "en",
            "no Persian table: English, said so"
        );
        assert_eq!(words_language(""), "en");
    }

    #[test]
    fn english_dates_put_the_day_first_where_its_readers_do() {
        assert_eq!(date_pattern("en"), "{month} {day}, {year}");
        assert_eq!(date_pattern("en-US"), "{month} {day}, {year}");
        for tag in ["en-GB", "en_au", "en-IN", "en-Latn-GB"] {
            assert_eq!(date_pattern(tag), "{day} {month} {year}", "{tag}");
        }
        assert_eq!(
            date_pattern("fr-GB"),
            FR.date,
            "a region changes English only"
        );
    }
}
