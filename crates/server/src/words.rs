//! The server's own words, in each language the widget speaks: the confirmation mail, the
//! note to a reader already subscribed, and the pages a confirmation link opens. A reader
//! meets them in the language of the card they signed up on (the signup's `locale`), right
//! to left where that language is written so. The widget's words (crates/card's `i18n`)
//! stay out of the server's tables and the server's out of the wasm.

use article_embed_card::i18n;

/// `{}` marks the newsletter's name; in the mail bodies, `{newsletter}` and `{link}`.
pub struct Words {
    /// The language tag the words are in.
    pub lang: &'static str,
    pub right_to_left: bool,
    /// Between the names of several newsletters in a sentence.
    pub comma: &'static str,
    pub page_title: &'static str,
    pub confirm_prompt: &'static str,
    pub confirm_button: &'static str,
    pub confirmed: &'static str,
    pub expired: &'static str,
    pub unknown: &'static str,
    pub back: &'static str,
    pub confirm_subject: &'static str,
    pub confirm_body: &'static str,
    pub already_subject: &'static str,
    pub already_body: &'static str,
}

impl Words {
    /// `pattern` with the newsletter's name for `{}`.
    pub fn fill(&self, pattern: &str, newsletter: &str) -> String {
        i18n::fill(pattern, newsletter)
    }

    /// A mail body, with the newsletter's name and the link.
    pub fn body(&self, pattern: &str, newsletter: &str, link: &str) -> String {
        pattern
            .replace("{newsletter}", newsletter)
            .replace("{link}", link)
    }

    /// Several newsletters' names in a sentence.
    pub fn names(&self, newsletters: &[String]) -> String {
        newsletters.join(self.comma)
    }

    /// The widget's words in the same language (the answers to a form posted without
    /// script).
    pub fn widget(&self) -> &'static i18n::Words {
        i18n::words(self.lang)
    }
}

/// The words for a signup's `locale` (a BCP 47 tag); English when the widget has no table
/// for its language.
pub fn words(locale: &str) -> &'static Words {
    let lang = i18n::words_language(locale);
    TABLES
        .iter()
        .find(|w| w.lang == lang)
        .copied()
        .unwrap_or(&EN)
}

const TABLES: &[&Words] = &[&EN, &ES, &FR, &DE, &HE, &AR, &MY];

pub static EN: Words = Words {
    lang: "en",
    right_to_left: false,
    comma: ", ",
    page_title: "Newsletter",
    confirm_prompt: "Please confirm that you want to receive {}.",
    confirm_button: "Confirm my subscription",
    confirmed: "You're subscribed to {}. Thank you!",
    expired: "This confirmation link has expired. Please subscribe again.",
    unknown: "This confirmation link is not valid. Please subscribe again.",
    back: "Back to the article",
    confirm_subject: "Confirm your subscription to {}",
    confirm_body: "Please confirm your subscription to\n\n    {newsletter}\n\n\
        by opening this link and pressing the button on the page:\n\n{link}\n\n\
        The link works for 7 days. If you did not ask for this,\n\
        ignore this message: nothing will be sent.\n",
    already_subject: "You're already subscribed to {}",
    already_body:
        "Someone, probably you, asked to subscribe this address to\n\n    {newsletter}\n\n\
        It is already subscribed: nothing has changed and there is\nnothing to do.\n",
};

pub static ES: Words = Words {
    lang: "es",
    right_to_left: false,
    comma: ", ",
    page_title: "Boletín",
    confirm_prompt: "Confirma que quieres recibir {}.",
    confirm_button: "Confirmar mi suscripción",
    confirmed: "Te has suscrito a {}. ¡Gracias!",
    expired: "Este enlace de confirmación ha caducado. Vuelve a suscribirte.",
    unknown: "Este enlace de confirmación no es válido. Vuelve a suscribirte.",
    back: "Volver al artículo",
    confirm_subject: "Confirma tu suscripción a {}",
    confirm_body: "Confirma tu suscripción a\n\n    {newsletter}\n\n\
        abriendo este enlace y pulsando el botón de la página:\n\n{link}\n\n\
        El enlace funciona durante 7 días. Si no lo has pedido,\n\
        ignora este mensaje: no se enviará nada.\n",
    already_subject: "Ya estás suscrito a {}",
    already_body:
        "Alguien, probablemente tú, pidió suscribir esta dirección a\n\n    {newsletter}\n\n\
        Ya está suscrita: no ha cambiado nada y no hay\nnada que hacer.\n",
};

pub static FR: Words = Words {
    lang: "fr",
    right_to_left: false,
    comma: ", ",
    page_title: "Lettre d’information",
    confirm_prompt: "Confirmez que vous souhaitez recevoir {}.",
    confirm_button: "Confirmer mon abonnement",
    confirmed: "Vous êtes abonné à {}. Merci !",
    expired: "Ce lien de confirmation a expiré. Veuillez vous abonner à nouveau.",
    unknown: "Ce lien de confirmation n’est pas valide. Veuillez vous abonner à nouveau.",
    back: "Retour à l’article",
    confirm_subject: "Confirmez votre abonnement à {}",
    confirm_body: "Veuillez confirmer votre abonnement à\n\n    {newsletter}\n\n\
        en ouvrant ce lien puis en appuyant sur le bouton de la page :\n\n{link}\n\n\
        Le lien est valable 7 jours. Si vous n’avez rien demandé,\n\
        ignorez ce message : rien ne vous sera envoyé.\n",
    already_subject: "Vous êtes déjà abonné à {}",
    already_body:
        "Quelqu’un, sans doute vous, a demandé d’abonner cette adresse à\n\n    {newsletter}\n\n\
        Elle est déjà abonnée : rien n’a changé et il n’y a\nrien à faire.\n",
};

pub static DE: Words = Words {
    lang: "de",
    right_to_left: false,
    comma: ", ",
    page_title: "Newsletter",
    confirm_prompt: "Bitte bestätigen Sie, dass Sie {} erhalten möchten.",
    confirm_button: "Abonnement bestätigen",
    confirmed: "Sie haben {} abonniert. Vielen Dank!",
    expired: "Dieser Bestätigungslink ist abgelaufen. Bitte melden Sie sich erneut an.",
    unknown: "Dieser Bestätigungslink ist ungültig. Bitte melden Sie sich erneut an.",
    back: "Zurück zum Artikel",
    confirm_subject: "Bestätigen Sie Ihr Abonnement von {}",
    confirm_body: "Bitte bestätigen Sie Ihr Abonnement von\n\n    {newsletter}\n\n\
        indem Sie diesen Link öffnen und auf der Seite die Schaltfläche drücken:\n\n{link}\n\n\
        Der Link ist 7 Tage gültig. Wenn Sie das nicht angefordert haben,\n\
        ignorieren Sie diese Nachricht: Es wird nichts verschickt.\n",
    already_subject: "Sie haben {} bereits abonniert",
    already_body:
        "Jemand, wahrscheinlich Sie, wollte diese Adresse anmelden für\n\n    {newsletter}\n\n\
        Sie ist bereits angemeldet: Es hat sich nichts geändert, und es ist\nnichts zu tun.\n",
};

pub static HE: Words = Words {
    lang: "he",
    right_to_left: true,
    comma: ", ",
    page_title: "ניוזלטר",
    confirm_prompt: "נא לאשר שברצונך לקבל את {}.",
    confirm_button: "אישור ההרשמה",
    confirmed: "נרשמת ל־{}. תודה!",
    expired: "תוקף קישור האישור פג. נא להירשם שוב.",
    unknown: "קישור האישור אינו תקף. נא להירשם שוב.",
    back: "חזרה לכתבה",
    confirm_subject: "אישור ההרשמה ל־{}",
    confirm_body: "נא לאשר את ההרשמה ל־\n\n    {newsletter}\n\n\
        על ידי פתיחת הקישור הזה ולחיצה על הכפתור שבדף:\n\n{link}\n\n\
        הקישור תקף במשך 7 ימים. אם לא ביקשת זאת,\n\
        אפשר להתעלם מההודעה: דבר לא יישלח.\n",
    already_subject: "כבר נרשמת ל־{}",
    already_body: "מישהו, כנראה את/ה, ביקש לרשום את הכתובת הזו ל־\n\n    {newsletter}\n\n\
        הכתובת כבר רשומה: דבר לא השתנה, ואין\nצורך לעשות דבר.\n",
};

pub static AR: Words = Words {
    lang: "ar",
    right_to_left: true,
    comma: "، ",
    page_title: "النشرة البريدية",
    confirm_prompt: "يُرجى تأكيد رغبتك في تلقّي {}.",
    confirm_button: "تأكيد اشتراكي",
    confirmed: "لقد اشتركت في {}. شكرًا لك!",
    expired: "انتهت صلاحية رابط التأكيد هذا. يُرجى الاشتراك من جديد.",
    unknown: "رابط التأكيد هذا غير صالح. يُرجى الاشتراك من جديد.",
    back: "العودة إلى المقال",
    confirm_subject: "أكّد اشتراكك في {}",
    confirm_body: "يُرجى تأكيد اشتراكك في\n\n    {newsletter}\n\n\
        بفتح هذا الرابط ثم الضغط على الزر في الصفحة:\n\n{link}\n\n\
        يعمل الرابط مدة 7 أيام. إن لم تطلب ذلك،\n\
        فتجاهل هذه الرسالة: لن يُرسَل إليك شيء.\n",
    already_subject: "أنت مشترك بالفعل في {}",
    already_body: "طلب أحدهم، وربما أنت، اشتراك هذا العنوان في\n\n    {newsletter}\n\n\
        العنوان مشترك بالفعل: لم يتغيّر شيء، ولا\nحاجة إلى أي إجراء.\n",
};

pub static MY: Words = Words {
    lang: "my",
    right_to_left: false,
    comma: "၊ ",
    page_title: "သတင်းလွှာ",
    confirm_prompt: "{} ကို လက်ခံလိုကြောင်း အတည်ပြုပေးပါ။",
    confirm_button: "စာရင်းသွင်းမှုကို အတည်ပြုရန်",
    confirmed: "{} ကို စာရင်းသွင်းပြီးပါပြီ။ ကျေးဇူးတင်ပါသည်။",
    expired: "ဤအတည်ပြုလင့်ခ်၏ သက်တမ်း ကုန်သွားပါပြီ။ ထပ်မံ စာရင်းသွင်းပါ။",
    unknown: "ဤအတည်ပြုလင့်ခ် မမှန်ကန်ပါ။ ထပ်မံ စာရင်းသွင်းပါ။",
    back: "သတင်းသို့ ပြန်သွားရန်",
    confirm_subject: "{} စာရင်းသွင်းမှုကို အတည်ပြုပါ",
    confirm_body: "အောက်ပါ သတင်းလွှာအတွက် စာရင်းသွင်းမှုကို အတည်ပြုပေးပါ -\n\n    {newsletter}\n\n\
        ဤလင့်ခ်ကို ဖွင့်ပြီး စာမျက်နှာပေါ်ရှိ ခလုတ်ကို နှိပ်ပါ -\n\n{link}\n\n\
        လင့်ခ်ကို ၇ ရက်အတွင်း အသုံးပြုနိုင်ပါသည်။ သင် မတောင်းဆိုခဲ့ပါက\n\
        ဤစာကို လျစ်လျူရှုပါ - မည်သည့်အရာမျှ ပို့မည် မဟုတ်ပါ။\n",
    already_subject: "{} ကို စာရင်းသွင်းပြီးသား ဖြစ်ပါသည်",
    already_body: "တစ်စုံတစ်ဦး (သင် ဖြစ်နိုင်သည်) က ဤလိပ်စာကို အောက်ပါ သတင်းလွှာတွင် စာရင်းသွင်းရန် တောင်းဆိုခဲ့သည် -\n\n    {newsletter}\n\n\
        စာရင်းသွင်းပြီးသား ဖြစ်သဖြင့် ဘာမျှ မပြောင်းလဲပါ၊\nလုပ်ဆောင်ရန် မလိုပါ။\n",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_of_the_widget_has_the_servers_words() {
        for widget in i18n::tables() {
            let ours = TABLES
                .iter()
                .find(|w| std::ptr::eq(w.widget(), widget))
                .unwrap_or_else(|| panic!("no server words for {:?}", widget.subscribe));
            for pattern in [ours.confirm_prompt, ours.confirmed, ours.confirm_subject] {
                assert!(pattern.contains("{}"), "{}: {pattern}", ours.lang);
            }
            for body in [ours.confirm_body, ours.already_body] {
                assert!(body.contains("{newsletter}"), "{}", ours.lang);
            }
            assert!(ours.confirm_body.contains("{link}"), "{}", ours.lang);
        }
        assert_eq!(words("he-IL").lang, "he");
        assert!(words("ar").right_to_left);
        assert_eq!(words("fa").lang, "en", "no table: English");
    }
}
