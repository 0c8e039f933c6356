//! Real mail shapes, English and German, as mail clients produce them.

use super::*;

fn clean(body: &str) -> String {
    clean_body(body)
}

#[test]
fn gmail_reply_drops_the_quoted_thread() {
    let body = "Hi team,\n\nthe VPN still drops every 10 minutes since the update.\n\nOn Mon, 3 Mar 2025 at 10:04, Support <support@example.com> wrote:\n> Dear customer,\n> your invoice INV-2291 is attached.\n> Best regards\n";
    assert_eq!(
        clean(body),
        "Hi team,\n\nthe VPN still drops every 10 minutes since the update."
    );
}

#[test]
fn wrapped_on_wrote_header_is_found_across_two_lines() {
    let body = "Printer is offline again.\n\nOn Tue, Mar 4, 2025 at 9:12 AM Jane Doe <\njane.doe@example.com> wrote:\n\nPlease refund order 123.";
    assert_eq!(clean(body), "Printer is offline again.");
}

#[test]
fn german_am_schrieb_header() {
    let body = "Hallo,\n\ndie Rechnung ist doppelt abgebucht worden.\n\nAm 03.03.2025 um 10:04 schrieb Max Mustermann <max@example.de>:\n> Sehr geehrte Damen und Herren,\n> der Drucker im 2. OG ist defekt.";
    assert_eq!(
        clean(body),
        "Hallo,\n\ndie Rechnung ist doppelt abgebucht worden."
    );
}

#[test]
fn outlook_original_message_separator() {
    let body = "Please cancel my subscription.\r\n\r\n-----Original Message-----\r\nFrom: Billing\r\nSent: Monday\r\nSubject: Your upgrade\r\n\r\nThanks for upgrading to Pro!";
    assert_eq!(clean(body), "Please cancel my subscription.");
}

#[test]
fn german_outlook_header_block_with_underscore_rule() {
    let body = "Guten Tag,\n\nich möchte die Jacke umtauschen, Größe M statt L.\n\n________________________________\nVon: Kundenservice <service@shop.de>\nGesendet: Montag, 3. März 2025 10:04\nAn: Erika Muster\nBetreff: Ihre Bestellung 4711\n\nIhre Bestellung wurde versandt.";
    assert_eq!(
        clean(body),
        "Guten Tag,\n\nich möchte die Jacke umtauschen, Größe M statt L."
    );
}

#[test]
fn english_outlook_header_block_in_bold() {
    let body = "Server is down for everyone.\n\n*From:* IT Helpdesk <it@corp.example>\n*Sent:* Friday, 28 February 2025 17:00\n*To:* All staff\n*Subject:* Planned maintenance\n\nMaintenance on Saturday.";
    assert_eq!(clean(body), "Server is down for everyone.");
}

#[test]
fn forwarded_message_marker() {
    let body = "FYI, can you check this charge?\n\n---------- Forwarded message ---------\nFrom: Bank <noreply@bank.example>\nDate: Mon, 3 Mar 2025\nYour card was charged EUR 49.00";
    assert_eq!(clean(body), "FYI, can you check this charge?");
    let de = "Bitte prüfen.\n\n-------- Weitergeleitete Nachricht --------\nBetreff: Mahnung";
    assert_eq!(clean(de), "Bitte prüfen.");
}

#[test]
fn inline_quote_lines_are_dropped_but_answers_kept() {
    let body = "> Which browser do you use?\nFirefox 124.\n> And the error?\nThe page stays blank after login.";
    assert_eq!(
        clean(body),
        "Firefox 124.\nThe page stays blank after login."
    );
}

#[test]
fn dash_dash_signature_delimiter() {
    let body = "My laptop does not boot.\n\n-- \nJohn Smith\nACME Corp | +1 555 0100";
    assert_eq!(clean(body), "My laptop does not boot.");
}

#[test]
fn english_sign_off_with_name_block_and_disclaimer() {
    let body = "Hello,\n\nwe were charged twice for invoice 2025-031.\n\nKind regards,\nPaula Brandt\nCRM Manager\nMeridian Outdoor GmbH\nTel. +49 30 1234567\n\nThis e-mail and any attachments are confidential and intended solely for the addressee.";
    assert_eq!(
        clean(body),
        "Hello,\n\nwe were charged twice for invoice 2025-031."
    );
}

#[test]
fn german_sign_offs() {
    let body = "Hallo,\n\nmein Urlaubsantrag für Juli ist noch nicht genehmigt.\n\nMit freundlichen Grüßen\nErika Mustermann\nPersonalabteilung";
    assert_eq!(
        clean(body),
        "Hallo,\n\nmein Urlaubsantrag für Juli ist noch nicht genehmigt."
    );
    let short = "Das WLAN geht nicht.\n\nLG Anna";
    assert_eq!(clean(short), "Das WLAN geht nicht.");
    let no_umlaut = "Paket kam beschaedigt an.\n\nViele Gruesse\nTom";
    assert_eq!(clean(no_umlaut), "Paket kam beschaedigt an.");
}

#[test]
fn thanks_in_the_middle_of_a_long_message_is_not_a_signature() {
    let mut body = String::from("Thanks,\n");
    for i in 0..14 {
        body.push_str(&format!(
            "step {i}: the export still fails with error 500\n"
        ));
    }
    assert_eq!(clean(&body), body.trim_end());
    // A sentence starting with a sign-off word is no sign-off.
    let s = "The login fails.\nBest way to reproduce: open the app twice.";
    assert_eq!(clean(s), s);
}

#[test]
fn mobile_footer_dropped() {
    let body = "Cannot log in to the portal.\n\nSent from my iPhone";
    assert_eq!(clean(body), "Cannot log in to the portal.");
    let de = "Kein Zugang zum Portal.\n\nVon meinem iPhone gesendet";
    assert_eq!(clean(de), "Kein Zugang zum Portal.");
}

#[test]
fn a_body_that_is_only_a_quote_is_kept() {
    let body = "On Mon, 3 Mar 2025, Jane <jane@example.com> wrote:\n> refund please";
    assert_eq!(clean(body), body);
}

#[test]
fn html_mail_becomes_text_and_loses_its_blockquote() {
    let html = r#"<html><head><style>p{color:red}</style></head><body>
<div dir="ltr">Hallo,<br><br>die Bestellung&nbsp;4711 kam besch&auml;digt an &amp; ich m&ouml;chte sie zur&uuml;ckschicken.</div>
<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">Am Mo., 3. März 2025 um 10:04 Uhr schrieb Shop &lt;shop@example.de&gt;:<br></div>
<blockquote class="gmail_quote">Ihre Bestellung wurde versandt.</blockquote></div></body></html>"#;
    assert_eq!(
        clean(html),
        "Hallo,\n\ndie Bestellung 4711 kam beschädigt an & ich möchte sie zurückschicken."
    );
}

#[test]
fn outlook_html_with_nested_blockquotes_and_table() {
    let html = "<p>Our dashboard shows <b>HTTP&nbsp;503</b> since 08:00.</p><table><tr><td>EU</td><td>down</td></tr></table><blockquote>old <blockquote>older</blockquote> still old</blockquote><p>Please hurry.</p>";
    let got = clean(html);
    assert_eq!(
        got,
        "Our dashboard shows HTTP 503 since 08:00.\n\nEU\tdown\n\nPlease hurry."
    );
}

#[test]
fn ticket_text_prefers_plain_text_and_falls_back_to_html() {
    let t = ticket_text(
        "Refund",
        Some("Please refund.\n\n-- \nBob"),
        Some("<p>x</p>"),
        TextForm::Clean,
    );
    assert_eq!(t, "Refund\n\nPlease refund.");
    let raw = ticket_text(
        "Refund",
        Some("Please refund.\n\n-- \nBob"),
        None,
        TextForm::Raw,
    );
    assert_eq!(raw, "Refund\n\nPlease refund.\n\n-- \nBob");
    let html = ticket_text(
        "Down",
        None,
        Some("<p>It is &lt;down&gt;</p>"),
        TextForm::Raw,
    );
    assert_eq!(html, "Down\n\nIt is <down>");
    assert_eq!(
        ticket_text("Only subject", Some("  "), None, TextForm::Clean),
        "Only subject"
    );
}

#[test]
fn numeric_entities_decode() {
    assert_eq!(decode_entities("&#228;&#x00FC;&unknown;"), "äü&unknown;");
}
