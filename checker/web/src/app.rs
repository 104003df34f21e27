//! The checker's components. They render state and emit callbacks; the rules are the
//! engine's, the form's checks are `form`'s, the words of the result are `summary`'s.

use crate::form::{
    Asked, COMPARE, DateTimeParts, EPISODES, FieldError, Form, QUESTIONS, RISKS, SOCIAL_CARE,
    YesNo, ids,
};
use crate::summary;
use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use handbook_engine::Strength;
use handbook_engine::case::Case;
use handbook_engine::eval::{Citation, Contradiction, Evaluation, Item};
use handbook_engine::{Protocol, deadline, evaluate, share};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The id of the element the page gives the checker (see the book builder).
const MOUNT_ID: &str = "mcph-checker-mount";
const SUMMARY_ID: &str = "mcph-error-summary";
const RESULT_ID: &str = "mcph-result-heading";
const MORE_ID: &str = "mcph-more";
/// How many lines of a list are shown before "… more".
const SHOWN_FIRST: usize = 3;
/// How many lines a part of the result may have before it is folded.
const FOLD_OVER: usize = 1;

#[derive(Properties)]
pub struct Props {
    pub protocols: Rc<Vec<Protocol>>,
    /// The relative path from this page to the site root ("", "../../").
    pub root: String,
    /// What the page's address carried: a protocol, and perhaps a whole case.
    pub initial: Initial,
}

/// The protocols are the same when they are the same list (they are read once, as the page
/// starts): not compared rule by rule, which would put a comparison of every type of the
/// rule data into the WebAssembly.
impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.protocols, &other.protocols)
            && self.root == other.root
            && self.initial == other.initial
    }
}

/// What the checker starts with.
#[derive(Clone, Default, PartialEq)]
pub struct Initial {
    pub form: Form,
    /// The time a shared link's case is worked out at, if it gave one.
    pub as_at: Option<DateTime<FixedOffset>>,
    /// Show the result at once (the link carried answers).
    pub run: bool,
    /// Problems reading the link.
    pub problems: Vec<String>,
}

/// What the reader asked to see besides the result.
#[derive(Clone, Copy, PartialEq, Default)]
enum Panel {
    #[default]
    None,
    Text,
    Share,
}

#[derive(Clone, Default)]
struct Model {
    form: Form,
    errors: Vec<FieldError>,
    /// The case and what each protocol asked says about it.
    result: Option<(Rc<Case>, Rc<Vec<Evaluation>>)>,
    as_at: Option<DateTime<FixedOffset>>,
    /// Bumped each time the reader asks for the result, so focus moves once per request.
    asked: u32,
    more_open: bool,
    panel: Panel,
    /// The plain-text summary and whether the clipboard took it.
    text: String,
    copied: Option<bool>,
    link_problems: Vec<String>,
    /// Bumped each time the reader answers a question from the result, so focus stays there.
    answered: u32,
    /// What the last answer from the result changed, for screen readers.
    announce: String,
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

fn focus(id: &str) {
    if let Some(el) = document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    {
        let _ = el.focus();
        el.scroll_into_view();
    }
}

/// The time now, in UK time. The clock is read here, never in the engine.
fn now() -> DateTime<FixedOffset> {
    let ms = js_sys::Date::now();
    let t = Utc
        .timestamp_millis_opt(ms as i64)
        .single()
        .unwrap_or_default();
    deadline::to_london(t.fixed_offset())
}

/// The protocols a form asks about: the chosen one, or all of them to compare.
fn chosen<'a>(protocols: &'a [Protocol], form: &Form) -> Vec<&'a Protocol> {
    if form.protocol == COMPARE {
        protocols.iter().collect()
    } else {
        protocols.iter().filter(|p| p.id == form.protocol).collect()
    }
}

fn run(model: &mut Model, protocols: &[Protocol]) {
    let list = chosen(protocols, &model.form);
    let asked = Asked::for_protocols(list.iter().copied());
    let at = model.as_at.unwrap_or_else(now);
    match model.form.to_case(&asked, at) {
        Ok(case) => {
            model.errors.clear();
            let evals = list.iter().map(|p| evaluate(p, &case)).collect();
            model.result = Some((Rc::new(case), Rc::new(evals)));
        }
        Err(errors) => {
            if errors.iter().any(|e| {
                asked.more().iter().any(|q| e.field.starts_with(q.id))
                    || e.field == ids::DAYS_LOOKED_AFTER
                    || (e.field == ids::RISK && !asked.is_main("police_risk"))
            }) {
                model.more_open = true;
            }
            model.errors = errors;
            model.result = None;
        }
    }
    model.panel = Panel::None;
    model.copied = None;
}

/// The page's address without its fragment.
fn page_address() -> String {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    let href = loc.href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

fn clear_address_fragment() {
    let Some(w) = web_sys::window() else { return };
    let path = w.location().pathname().unwrap_or_default();
    let search = w.location().search().unwrap_or_default();
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{search}")));
    }
}

/// Copies text to the clipboard, if the browser allows it; says whether it did.
async fn copy_to_clipboard(text: String) -> bool {
    let Some(w) = web_sys::window() else {
        return false;
    };
    let nav: JsValue = w.navigator().into();
    let Ok(clip) = js_sys::Reflect::get(&nav, &"clipboard".into()) else {
        return false;
    };
    let Ok(write) = js_sys::Reflect::get(&clip, &"writeText".into())
        .and_then(|f| f.dyn_into::<js_sys::Function>())
    else {
        return false;
    };
    let Ok(promise) = write
        .call1(&clip, &text.into())
        .and_then(|p| p.dyn_into::<js_sys::Promise>())
    else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// What a change to the form changes.
enum Change {
    Protocol(String),
    Age(String),
    YesNo(&'static str, String),
    Returned(String),
    TimeMode(String),
    Hours(String),
    Since(usize, String),
    Back(usize, String),
    Episodes(&'static str, String),
    Risk(String),
    DaysLookedAfter(String),
    SocialCare(String),
    Who(String),
}

fn set_part(parts: &mut DateTimeParts, i: usize, v: String) {
    match i {
        0 => parts.day = v,
        1 => parts.month = v,
        2 => parts.year = v,
        _ => parts.time = v,
    }
}

fn apply(form: &mut Form, change: Change) {
    match change {
        Change::Protocol(v) => form.protocol = v,
        Change::Age(v) => form.age = v,
        Change::YesNo(f, v) => {
            form.yes_no.insert(f, v);
        }
        Change::Returned(v) => form.returned = v,
        Change::TimeMode(v) => form.time_mode = v,
        Change::Hours(v) => form.hours = v,
        Change::Since(i, v) => set_part(&mut form.since, i, v),
        Change::Back(i, v) => set_part(&mut form.back, i, v),
        Change::Episodes(f, v) => {
            form.episodes.insert(f, v);
        }
        Change::Risk(v) => form.risk = v,
        Change::DaysLookedAfter(v) => form.days_looked_after = v,
        Change::SocialCare(v) => form.set_social_care(&v),
        Change::Who(v) => form.who = v,
    }
}

#[component(Checker)]
fn checker(props: &Props) -> Html {
    let model = {
        let protocols = props.protocols.clone();
        let initial = props.initial.clone();
        use_state(move || {
            let mut m = Model {
                form: initial.form.clone(),
                as_at: initial.as_at,
                link_problems: initial.problems.clone(),
                more_open: {
                    let asked = Asked::for_protocols(chosen(&protocols, &initial.form));
                    asked
                        .more()
                        .iter()
                        .any(|q| !initial.form.yes_no(q.field).is_empty())
                },
                ..Model::default()
            };
            if initial.run {
                run(&mut m, &protocols);
            }
            m
        })
    };
    let title = use_memo((), |_| document().map(|d| d.title()).unwrap_or_default());

    {
        let errors = !model.errors.is_empty();
        let title = title.clone();
        use_effect_with((model.asked, errors), move |(asked, errors)| {
            if let Some(d) = document() {
                if *errors {
                    d.set_title(&format!("Error: {title}"));
                } else {
                    d.set_title(&title);
                }
            }
            if *asked > 0 {
                focus(if *errors { SUMMARY_ID } else { RESULT_ID });
            }
        });
    }

    {
        let announce_for = model
            .result
            .as_ref()
            .map(|(_, e)| e.first().map(|e| e.protocol.clone()).unwrap_or_default());
        use_effect_with(model.answered, move |answered| {
            if *answered > 0 {
                // Where the reader was: the questions still open, else what to do now.
                let protocol = announce_for.unwrap_or_default();
                let depends = format!("mcph-depends-{protocol}");
                let now = format!("mcph-now-{protocol}");
                let target = [depends, now, RESULT_ID.to_string()]
                    .into_iter()
                    .find(|id| document().and_then(|d| d.get_element_by_id(id)).is_some());
                if let Some(id) = target {
                    focus(&id);
                }
            }
        });
    }

    let on_answer = {
        let model = model.clone();
        let protocols = props.protocols.clone();
        Callback::from(
            move |(field, value, words): (&'static str, String, String)| {
                let mut m = (*model).clone();
                let change = match field {
                    "police_risk" => Change::Risk(value),
                    "returned" => Change::Returned(value),
                    f => Change::YesNo(f, value),
                };
                apply(&mut m.form, change);
                run(&mut m, &protocols);
                m.answered += 1;
                let question = handbook_engine::condition::question(field);
                m.announce = match &m.result {
                    Some((_, evals)) => {
                        let now: usize = evals.iter().map(|e| e.actions.len()).sum();
                        let open: usize = evals.iter().map(|e| e.depends.len()).sum();
                        format!(
                            "Answered \u{201c}{question}\u{201d}: {words}. The result has been updated: {now} action{} now, {open} still depending on a question.",
                            if now == 1 { "" } else { "s" }
                        )
                    }
                    None => format!(
                        "Answered \u{201c}{question}\u{201d}: {words}. Check the form above for a problem."
                    ),
                };
                model.set(m);
            },
        )
    };

    let on_change = {
        let model = model.clone();
        Callback::from(move |change: Change| {
            let mut m = (*model).clone();
            apply(&mut m.form, change);
            model.set(m);
        })
    };
    let on_submit = {
        let model = model.clone();
        let protocols = props.protocols.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut m = (*model).clone();
            m.asked += 1;
            run(&mut m, &protocols);
            model.set(m);
        })
    };
    let on_reset = {
        let model = model.clone();
        Callback::from(move |_: MouseEvent| {
            clear_address_fragment();
            model.set(Model::default());
            focus(ids::PROTOCOL);
        })
    };
    let on_compare = {
        let model = model.clone();
        let protocols = props.protocols.clone();
        Callback::from(move |_: MouseEvent| {
            let mut m = (*model).clone();
            m.form.protocol = COMPARE.to_string();
            m.asked += 1;
            run(&mut m, &protocols);
            model.set(m);
        })
    };
    let on_text = {
        let model = model.clone();
        let protocols = props.protocols.clone();
        Callback::from(move |_: MouseEvent| {
            let mut m = (*model).clone();
            let Some((_, evals)) = &m.result else { return };
            let asked = Asked::for_protocols(chosen(&protocols, &m.form));
            let produced = deadline::human(m.as_at.unwrap_or_else(now));
            m.text = summary::plain_text(evals, &m.form.answers(&asked), &produced);
            m.panel = Panel::Text;
            m.copied = None;
            let text = m.text.clone();
            model.set(m.clone());
            let model = model.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let ok = copy_to_clipboard(text).await;
                let mut m = m;
                m.copied = Some(ok);
                model.set(m);
            });
        })
    };
    let on_print = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    let on_share = {
        let model = model.clone();
        Callback::from(move |_: MouseEvent| {
            let mut m = (*model).clone();
            m.panel = Panel::Share;
            model.set(m);
        })
    };
    let on_toggle_more = {
        let model = model.clone();
        Callback::from(move |e: Event| {
            let open = e
                .target_dyn_into::<web_sys::HtmlDetailsElement>()
                .map(|d| d.open())
                .unwrap_or(false);
            if open != model.more_open {
                let mut m = (*model).clone();
                m.more_open = open;
                model.set(m);
            }
        })
    };
    // Keys pressed inside the checker are the checker's: mdBook's shortcuts (arrow keys change
    // chapter; s, / and ? open search or help) must not fire and lose a half-filled form.
    let on_key = Callback::from(|e: KeyboardEvent| e.stop_propagation());

    let f = &model.form;
    let error_for = |id: &str| {
        model
            .errors
            .iter()
            .find(|e| e.field == id || e.field.starts_with(&format!("{id}-")))
            .map(|e| e.message.clone())
    };
    let list = chosen(&props.protocols, f);
    let asked = Asked::for_protocols(list.iter().copied());
    let back = f.is_back();
    let yes_no = |q: &YesNo| {
        let field = q.field;
        html! {
            { radios(Radios { id: q.id, legend: q.question.into(), hint: q.hint.map(AttrValue::from),
                name: field, value: f.yes_no(field).to_string(), error: error_for(q.id),
                options: vec![("yes", "Yes"), ("no", "No"), ("unsure", "Not sure")],
                on_change: on_change.reform(move |v| Change::YesNo(field, v)) }) }
        }
    };
    let date_time = |id: &'static str,
                     legend: &'static str,
                     hint: &'static str,
                     parts: &DateTimeParts,
                     back: bool| {
        let on_change = on_change.clone();
        let reform = move |i: usize| {
            on_change.reform(move |v| {
                if back {
                    Change::Back(i, v)
                } else {
                    Change::Since(i, v)
                }
            })
        };
        html! {
            { date_time_field(DateTimeField { id, legend: legend.into(), hint: hint.into(), parts: parts.clone(),
                error: error_for(&ids::day(id)), time_error: error_for(&format!("{id}-time")),
                on_day: reform(0), on_month: reform(1), on_year: reform(2), on_time: reform(3) }) }
        }
    };
    let risk = html! {
        { radios(Radios { id: ids::RISK, legend: "What risk level have the police given?".into(), hint: None,
            name: "police_risk", value: f.risk.clone(), error: error_for(ids::RISK),
            options: RISKS.to_vec(),
            on_change: on_change.reform(Change::Risk) }) }
    };
    let view = View {
        root: props.root.clone(),
        who: f.who.clone(),
        now: model.as_at.unwrap_or_else(now),
        hours: model
            .result
            .as_ref()
            .filter(|_| f.time_mode == "hours")
            .and_then(|(case, _)| case.hours_missing),
    };
    // "Who are you?": the people the chosen protocols' duties name, in the vocabulary's words.
    let mut who_options: Vec<(String, String)> =
        vec![(String::new(), "Not saying, or just looking".to_string())];
    for p in &list {
        for a in &p.vocabulary.actors {
            if !who_options.iter().any(|(id, _)| **id == *a.id) {
                who_options.push((a.id.to_string(), a.name.to_string()));
            }
        }
    }
    let mut options: Vec<(String, String)> = props
        .protocols
        .iter()
        .map(|p| (p.id.clone(), format!("{} ({})", p.short_title, p.authority)))
        .collect();
    options.push((
        COMPARE.to_string(),
        format!(
            "Compare all {} protocols side by side",
            props.protocols.len()
        ),
    ));

    html! {
        <div class="mcph-app" onkeydown={on_key}>
            if !model.link_problems.is_empty() {
                <div class="mcph-notice" role="status">
                    <p>{ "Some answers in the link you followed could not be read, so they have been left out:" }</p>
                    <ul>{ for model.link_problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }</ul>
                </div>
            }
            if !model.errors.is_empty() {
                { error_summary(&model.errors) }
            }
            if model.result.is_some() {
                <p class="mcph-skip"><a href={format!("#{RESULT_ID}")} onclick={Callback::from(|e: MouseEvent| { e.prevent_default(); focus(RESULT_ID); })}>{ "Go to the result" }</a></p>
            }
            <form class="mcph-form" novalidate=true onsubmit={on_submit} aria-label="Quick checker">
                { select_field(SelectField { id: ids::PROTOCOL, label: "Which protocol do you want to check against?".into(),
                    hint: "Choose the local protocol that covers the child. The questions below change to the ones that protocol needs.".into(),
                    value: f.protocol.clone(), error: error_for(ids::PROTOCOL),
                    blank: Some("Choose a protocol"), options,
                    on_change: on_change.reform(Change::Protocol) }) }
                if list.is_empty() {
                    <p class="mcph-hint">{ "Choose a protocol to see its questions." }</p>
                } else {
                    { select_field(SelectField { id: ids::WHO, label: "Who are you? (optional)".into(),
                        hint: "The result starts with what you do. This is not saved anywhere.".into(),
                        value: f.who.clone(), error: None,
                        blank: None, options: who_options,
                        on_change: on_change.reform(Change::Who) }) }
                    { text_field(TextField { id: ids::AGE, label: "How old is the child?".into(), hint: "In years, for example 15.".into(),
                        value: f.age.clone(), error: error_for(ids::AGE), width: "mcph-input--3", decimal: false,
                        on_input: on_change.reform(Change::Age) }) }
                    if !asked.social_care().is_empty() {
                        { radios(Radios { id: ids::SOCIAL_CARE, legend: "Is the child known to children's social care?".into(),
                            hint: Some("Choose the one that fits best. If you know more (for example, only that the child is not looked after), answer under \u{201c}More about the child's circumstances\u{201d} below.".into()),
                            name: "social_care", value: f.social_care(&asked).to_string(), error: None,
                            options: asked.social_care().into_iter().chain([("none", "No, not known to children's social care"), ("unsure", "Not sure")]).collect(),
                            on_change: on_change.reform(Change::SocialCare) }) }
                    }
                    { radios(Radios { id: ids::RETURNED, legend: "Has the child been found or come back?".into(), hint: None,
                        name: "returned", value: f.returned.clone(), error: error_for(ids::RETURNED),
                        options: vec![("no", "No, the child is still missing"), ("yes", "Yes, the child has been found or has come back"), ("unsure", "Not sure")],
                        on_change: on_change.reform(Change::Returned) }) }
                    { radios(Radios { id: ids::TIME_MODE, legend: "What do you know about when the child went missing?".into(),
                        hint: Some("With a date and time, the checker works out each deadline in UK time.".into()),
                        name: "time_mode", value: f.time_mode.clone(), error: error_for(ids::TIME_MODE),
                        options: vec![("dates", "The date and time"), ("hours", "Roughly how many hours"), ("unsure", "I do not know")],
                        on_change: on_change.reform(Change::TimeMode) }) }
                    if f.time_mode == "dates" {
                        <div class="mcph-conditional">
                            { date_time(ids::SINCE, "When did the child go missing?", "For example 24 10 2025 and 9:30pm. Use the time the child was first missed.", &f.since, false) }
                            if back {
                                { date_time(ids::BACK, "When was the child found or when did they come back? (optional)", "For example 26 10 2025 and 7am. Leave blank if you do not know.", &f.back, true) }
                            }
                        </div>
                    }
                    if f.time_mode == "hours" {
                        <div class="mcph-conditional">
                            { text_field(TextField { id: ids::HOURS,
                                label: if back { "How many hours was the child missing?" } else { "How many hours has the child been missing?" }.into(),
                                hint: "Count from when the child was first missed, for example 26 or 2.5.".into(),
                                value: f.hours.clone(), error: error_for(ids::HOURS), width: "mcph-input--5", decimal: true,
                                on_input: on_change.reform(Change::Hours) }) }
                        </div>
                    }
                    { for EPISODES.iter().filter(|(field, _, _)| asked.asks(field)).map(|(field, id, window)| {
                        let field: &'static str = field;
                        text_field(TextField { id,
                            label: format!("How many times has the child gone missing in the last {window}, including this time?").into(),
                            hint: "For example 1 if this is the first time. Leave blank if you do not know.".into(),
                            value: f.episodes(field).to_string(), error: error_for(id), width: "mcph-input--3", decimal: false,
                            on_input: on_change.reform(move |v| Change::Episodes(field, v)) })
                    }) }
                    if asked.is_main("police_risk") { { risk.clone() } }
                    { for QUESTIONS.iter().filter(|q| asked.is_main(q.field) && !SOCIAL_CARE.iter().any(|(f, _)| *f == q.field) && !(q.field == "whereabouts_known" && back)).map(&yes_no) }
                    if asked.asks_more() || (asked.asks("police_risk") && !asked.is_main("police_risk")) {
                        <details class="mcph-disclosure" id={MORE_ID} open={model.more_open} ontoggle={on_toggle_more}>
                            <summary class="mcph-disclosure__summary">{ "More about the child's circumstances" }</summary>
                            <div class="mcph-disclosure__body">
                                <p class="mcph-hint">{ "Answer what you know. Some parts of the protocol apply only in these circumstances." }</p>
                                if asked.asks("police_risk") && !asked.is_main("police_risk") { { risk.clone() } }
                                { for asked.more().into_iter().filter(|q| !(q.field == "whereabouts_known" && back)).map(&yes_no) }
                                if asked.asks("days_since_looked_after") {
                                    { text_field(TextField { id: ids::DAYS_LOOKED_AFTER,
                                        label: "How many days ago did the child become looked after?".into(),
                                        hint: "Some protocols say more for a child who came into care recently, for example an unaccompanied child. For example 10.".into(),
                                        value: f.days_looked_after.clone(), error: error_for(ids::DAYS_LOOKED_AFTER), width: "mcph-input--5", decimal: false,
                                        on_input: on_change.reform(Change::DaysLookedAfter) }) }
                                }
                            </div>
                        </details>
                    }
                }
                <div class="mcph-buttons">
                    <button type="submit" class="mcph-button">{ "Show what the protocol says" }</button>
                    <button type="button" class="mcph-button mcph-button--secondary" onclick={on_reset.clone()}>{ "Start again" }</button>
                </div>
            </form>
            if let Some((case, evals)) = &model.result {
                <div class="mcph-result" aria-live="polite">
                    <h2 id={RESULT_ID} tabindex="-1">{
                        if evals.len() == 1 {
                            format!("What the {} protocol says", list.first().map(|p| p.short_title.as_str()).unwrap_or("chosen"))
                        } else {
                            format!("What the {} protocols say", evals.len())
                        }
                    }</h2>
                    if let Some(at) = model.as_at {
                        <p class="mcph-notice">{ format!("This case is worked out as at {}, the time saved in the link it came from. Start again to check a case now.", deadline::human(at)) }</p>
                    }
                    { answers(f.answers(&asked)) }
                    <p class="mcph-visually-hidden" role="status">{ model.announce.clone() }</p>
                    if evals.len() == 1 {
                        { for evals.iter().map(|e| result_view(e, &view, &on_answer)) }
                    } else {
                        { compare(Compare { evals, protocols: &props.protocols, view: &view, on_answer: &on_answer }) }
                    }
                    <div class="mcph-buttons mcph-tools">
                        <button type="button" class="mcph-button mcph-button--secondary" onclick={on_text}>{ "Copy as text" }</button>
                        <button type="button" class="mcph-button mcph-button--secondary" onclick={on_print}>{ "Print" }</button>
                        <button type="button" class="mcph-button mcph-button--secondary" onclick={on_share}>{ "Share this case" }</button>
                        if evals.len() == 1 && props.protocols.len() > 1 {
                            <button type="button" class="mcph-button mcph-button--secondary" onclick={on_compare}>{ format!("Compare all {} protocols", props.protocols.len()) }</button>
                        }
                    </div>
                    { panel(&model, case, &page_address()) }
                    <div class="mcph-buttons">
                        <button type="button" class="mcph-button mcph-button--secondary" onclick={on_reset}>{ "Start again" }</button>
                    </div>
                </div>
            }
        </div>
    }
}

fn panel(model: &Model, case: &Case, address: &str) -> Html {
    match model.panel {
        Panel::None => html! {},
        Panel::Text => html! {
            <div class="mcph-panel" data-panel="text">
                <p role="status">{ match model.copied {
                    Some(true) => "Copied. You can paste it into your case notes. It is also shown below.",
                    Some(false) => "Your browser did not let the checker copy it. Select the text below and copy it.",
                    None => "Copying…",
                } }</p>
                <label class="mcph-label" for="mcph-text">{ "Summary for case notes" }</label>
                <textarea class="mcph-textarea" id="mcph-text" readonly=true rows="12" value={model.text.clone()}
                    onfocus={Callback::from(|e: FocusEvent| { e.target_unchecked_into::<HtmlTextAreaElement>().select(); })} />
            </div>
        },
        Panel::Share => {
            let mut shared = case.clone();
            if model.as_at.is_none() {
                shared.now = None;
            }
            let who = match model.form.who.as_str() {
                "" => String::new(),
                w => format!("&who={w}"),
            };
            let link = format!(
                "{address}#{}{who}",
                share::to_fragment(&model.form.protocol, &shared)
            );
            html! {
                <div class="mcph-panel" data-panel="share">
                    <label class="mcph-label" for="mcph-share">{ "Link to this case" }</label>
                    <p class="mcph-hint" id="mcph-share-hint">{ "The link contains the answers you gave, so anyone who opens it sees them. No names are ever asked. The answers are in the part of the link after #, which browsers do not send to the website." }</p>
                    <input class="mcph-input mcph-input--wide" id="mcph-share" type="text" readonly=true
                        aria-describedby="mcph-share-hint" value={link.clone()}
                        onfocus={Callback::from(|e: FocusEvent| { e.target_unchecked_into::<HtmlInputElement>().select(); })} />
                    <p><a href={link} class="mcph-share-link">{ "Open this case in a new checker" }</a></p>
                </div>
            }
        }
    }
}

/// "The answers this is based on": each question and its answer.
fn answers(answers: Vec<(String, String)>) -> Html {
    html! {
        <details class="mcph-details mcph-answers">
            <summary>{ "The answers this is based on" }</summary>
            <dl class="mcph-summary-list">
                { for answers.iter().map(|(q, a)| html! {
                    <div class="mcph-summary-list__row"><dt>{ q.clone() }</dt><dd>{ a.clone() }</dd></div>
                }) }
            </dl>
        </details>
    }
}

fn error_summary(errors: &[FieldError]) -> Html {
    html! {
        <div class="mcph-error-summary" id={SUMMARY_ID} tabindex="-1" role="alert" aria-labelledby="mcph-error-title">
            <h2 class="mcph-error-summary__title" id="mcph-error-title">{ "There is a problem" }</h2>
            <ul class="mcph-error-summary__list">
                { for errors.iter().map(|e| {
                    let id = e.field.clone();
                    let target = id.clone();
                    let onclick = Callback::from(move |ev: MouseEvent| { ev.prevent_default(); focus(&target); });
                    html! { <li><a href={format!("#{id}")} {onclick}>{ e.message.clone() }</a></li> }
                }) }
            </ul>
        </div>
    }
}

fn error_message(id: &str, error: &Option<String>) -> Html {
    match error {
        Some(m) => html! {
            <p class="mcph-error-message" id={format!("{id}-error")}>
                <span class="mcph-visually-hidden">{ "Error: " }</span>{ m.clone() }
            </p>
        },
        None => html! {},
    }
}

fn described_by(id: &str, hint: bool, error: &Option<String>) -> Option<String> {
    let mut parts = Vec::new();
    if hint {
        parts.push(format!("{id}-hint"));
    }
    if error.is_some() {
        parts.push(format!("{id}-error"));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

struct TextField {
    id: &'static str,
    label: AttrValue,
    hint: AttrValue,
    value: String,
    error: Option<String>,
    width: &'static str,
    decimal: bool,
    on_input: Callback<String>,
}

fn text_field(p: TextField) -> Html {
    let oninput = p
        .on_input
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    html! {
        <div class={classes!("mcph-field", p.error.is_some().then_some("mcph-field--error"))}>
            <label class="mcph-label" for={p.id}>{ p.label.clone() }</label>
            <p class="mcph-hint" id={format!("{}-hint", p.id)}>{ p.hint.clone() }</p>
            { error_message(p.id, &p.error) }
            <input class={classes!("mcph-input", p.width, p.error.is_some().then_some("mcph-input--error"))}
                id={p.id} name={p.id} type="text" spellcheck="false" autocomplete="off"
                inputmode={if p.decimal { "decimal" } else { "numeric" }}
                aria-describedby={described_by(p.id, true, &p.error)}
                aria-invalid={p.error.is_some().then_some("true")}
                value={p.value.clone()} {oninput} />
        </div>
    }
}

struct DateTimeField {
    id: &'static str,
    legend: AttrValue,
    hint: AttrValue,
    parts: DateTimeParts,
    error: Option<String>,
    time_error: Option<String>,
    on_day: Callback<String>,
    on_month: Callback<String>,
    on_year: Callback<String>,
    on_time: Callback<String>,
}

/// A GOV.UK-style date input (day, month, year) with a time box.
fn date_time_field(p: DateTimeField) -> Html {
    let input = |cb: &Callback<String>| {
        cb.reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value())
    };
    let any_error = p.error.is_some() || p.time_error.is_some();
    let date_id = format!("{}-date", p.id);
    let time_id = format!("{}-time", p.id);
    let box_class = |width: &'static str, error: bool| {
        classes!("mcph-input", width, error.then_some("mcph-input--error"))
    };
    let date_error = p.error.is_some();
    html! {
        <div class={classes!("mcph-field", any_error.then_some("mcph-field--error"))}>
            <fieldset class="mcph-fieldset" role="group" aria-describedby={described_by(&date_id, true, &p.error)}>
                <legend class="mcph-legend">{ p.legend.clone() }</legend>
                <p class="mcph-hint" id={format!("{date_id}-hint")}>{ p.hint.clone() }</p>
                { error_message(&date_id, &p.error) }
                <div class="mcph-date">
                    <div class="mcph-date__item">
                        <label class="mcph-date__label" for={ids::day(p.id)}>{ "Day" }</label>
                        <input class={box_class("mcph-input--2", date_error)} id={ids::day(p.id)} type="text" inputmode="numeric"
                            autocomplete="off" aria-invalid={date_error.then_some("true")}
                            value={p.parts.day.clone()} oninput={input(&p.on_day)} />
                    </div>
                    <div class="mcph-date__item">
                        <label class="mcph-date__label" for={format!("{}-month", p.id)}>{ "Month" }</label>
                        <input class={box_class("mcph-input--2", date_error)} id={format!("{}-month", p.id)} type="text" inputmode="numeric"
                            autocomplete="off" aria-invalid={date_error.then_some("true")}
                            value={p.parts.month.clone()} oninput={input(&p.on_month)} />
                    </div>
                    <div class="mcph-date__item">
                        <label class="mcph-date__label" for={format!("{}-year", p.id)}>{ "Year" }</label>
                        <input class={box_class("mcph-input--4", date_error)} id={format!("{}-year", p.id)} type="text" inputmode="numeric"
                            autocomplete="off" aria-invalid={date_error.then_some("true")}
                            value={p.parts.year.clone()} oninput={input(&p.on_year)} />
                    </div>
                </div>
                <div class="mcph-time">
                    { error_message(&time_id, &p.time_error) }
                    <label class="mcph-date__label" for={time_id.clone()}>{ "Time" }</label>
                    <input class={box_class("mcph-input--5", p.time_error.is_some())} id={time_id.clone()} type="text"
                        autocomplete="off" spellcheck="false"
                        aria-describedby={p.time_error.as_ref().map(|_| format!("{time_id}-error"))}
                        aria-invalid={p.time_error.is_some().then_some("true")}
                        value={p.parts.time.clone()} oninput={input(&p.on_time)} />
                </div>
            </fieldset>
        </div>
    }
}

struct SelectField {
    id: &'static str,
    label: AttrValue,
    hint: AttrValue,
    value: String,
    error: Option<String>,
    /// What the empty choice says, if the options do not have one.
    blank: Option<&'static str>,
    options: Vec<(String, String)>,
    on_change: Callback<String>,
}

fn select_field(p: SelectField) -> Html {
    let onchange = p
        .on_change
        .reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
    html! {
        <div class={classes!("mcph-field", p.error.is_some().then_some("mcph-field--error"))}>
            <label class="mcph-label" for={p.id}>{ p.label.clone() }</label>
            <p class="mcph-hint" id={format!("{}-hint", p.id)}>{ p.hint.clone() }</p>
            { error_message(p.id, &p.error) }
            <select class="mcph-select" id={p.id} name={p.id} {onchange}
                aria-describedby={described_by(p.id, true, &p.error)}
                aria-invalid={p.error.is_some().then_some("true")}>
                if let Some(blank) = p.blank {
                    <option value="" selected={p.value.is_empty()}>{ blank }</option>
                }
                { for p.options.iter().map(|(v, label)| html! {
                    <option value={v.clone()} selected={*v == p.value}>{ label.clone() }</option>
                }) }
            </select>
        </div>
    }
}

struct Radios {
    id: &'static str,
    legend: AttrValue,
    hint: Option<AttrValue>,
    name: &'static str,
    value: String,
    error: Option<String>,
    options: Vec<(&'static str, &'static str)>,
    on_change: Callback<String>,
}

fn radios(p: Radios) -> Html {
    html! {
        <div class={classes!("mcph-field", p.error.is_some().then_some("mcph-field--error"))}>
            <fieldset class="mcph-fieldset" aria-describedby={described_by(p.id, p.hint.is_some(), &p.error)}>
                <legend class="mcph-legend">{ p.legend.clone() }</legend>
                if let Some(h) = &p.hint { <p class="mcph-hint" id={format!("{}-hint", p.id)}>{ h.clone() }</p> }
                { error_message(p.id, &p.error) }
                <div class="mcph-radios">
                { for p.options.iter().enumerate().map(|(i, (value, label))| {
                    let id = if i == 0 { p.id.to_string() } else { format!("{}-{}", p.id, i + 1) };
                    let v = value.to_string();
                    let onchange = p.on_change.reform(move |_: Event| v.clone());
                    html! {
                        <div class="mcph-radio">
                            <input class="mcph-radio__input" type="radio" id={id.clone()} name={p.name}
                                value={*value} checked={p.value == *value} {onchange} />
                            <label class="mcph-radio__label" for={id}>{ *label }</label>
                        </div>
                    }
                }) }
                </div>
            </fieldset>
        </div>
    }
}

/// What the result's lines need besides the evaluation: where the site's root is, who is
/// asking, and the time to read deadlines against.
pub struct View {
    pub root: String,
    /// An actor's id, "looking" or "".
    pub who: String,
    /// The time the case is worked out at (deadlines "passed" or "in ...").
    pub now: DateTime<FixedOffset>,
    /// The hours missing, when they were given as a number (deadlines are then approximate).
    pub hours: Option<f64>,
}

/// When a line is due, in words, with how far off that is.
fn when_line(item: &Item, view: &View) -> Option<Html> {
    let words = summary::when(item)?;
    let (extra, passed) = match item.due.as_deref().map(DateTime::parse_from_rfc3339) {
        Some(Ok(due)) => {
            let r = summary::relative(due, view.now);
            let passed = r.starts_with("passed");
            (Some(r), passed)
        }
        _ => match view
            .hours
            .and_then(|h| summary::approximate(item, h, view.now))
        {
            Some(a) => {
                let passed = a.starts_with("passed");
                (
                    Some(format!(
                        "{a}, worked out from this device's clock, so approximate"
                    )),
                    passed,
                )
            }
            None => (None, false),
        },
    };
    Some(html! {
        <p class="mcph-item__meta"><span class="mcph-item__label">{ "When: " }</span>{ words }
            if let Some(x) = extra {
                { " " }<span class={classes!("mcph-when", passed.then_some("mcph-when--passed"))}>{ format!("({x})") }</span>
            }
        </p>
    })
}

/// One line of the result: its label, words, who, when, and "Why is this shown?" with the
/// protocol's words for every paragraph it stands for.
fn entry_view(item: &Item, citations: &[Citation], view: &View, label: Option<String>) -> Html {
    let rules: Vec<&str> = citations.iter().map(|c| &*c.rule).collect();
    let who = if item.actor_names.is_empty() {
        item.who.as_ref().map(|w| w.to_string())
    } else {
        Some(item.actor_names.join(", "))
    };
    let paragraphs: Vec<&str> = citations.iter().map(|c| &*c.paragraph).collect();
    html! {
        <li class="mcph-item" data-rule={item.rule.clone()} data-rules={rules.join(" ")} data-due={item.due.clone()}>
            if let Some(l) = label {
                <strong class="mcph-tag">{ l }</strong>{ " " }
            }
            if item.strength == Strength::GoodPractice {
                <strong class="mcph-tag mcph-tag--soft">{ "Good practice" }</strong>
            }
            <p class="mcph-item__text">{ item.text.clone() }</p>
            if let Some(who) = who {
                <p class="mcph-item__meta"><span class="mcph-item__label">{ "Who: " }</span>{ who }</p>
            }
            { when_line(item, view).unwrap_or_default() }
            <details class="mcph-details">
                <summary>{ format!("Why is this shown? (paragraph {})", paragraphs.join(", ")) }</summary>
                <p class="mcph-item__meta"><span class="mcph-item__label">{ "Because: " }</span>{ summary::why(item) }</p>
                if let Some(w) = &item.who {
                    <p class="mcph-item__meta"><span class="mcph-item__label">{ "The protocol's words for who: " }</span>{ w.clone() }</p>
                }
                { for citations.iter().map(|c| html! {
                    <>
                        <blockquote class="mcph-quote">{ c.quote.clone() }</blockquote>
                        <p><a href={format!("{}{}", view.root, c.link)}>{ format!("Read paragraph {} in full", c.paragraph) }</a></p>
                    </>
                }) }
            </details>
        </li>
    }
}

/// A line that waits on an answer, kept short: its words, the answers it needs, and why.
fn compact_view(item: &Item, view: &View) -> Html {
    html! {
        <li class="mcph-item mcph-item--compact" data-rule={item.rule.clone()} data-rules={item.rule.clone()} data-due={item.due.clone()}>
            <p class="mcph-item__text">{ item.text.clone() }</p>
            <p class="mcph-item__meta"><span class="mcph-item__label">{ "Applies if: " }</span>{ summary::applies_if(item) }</p>
            <details class="mcph-details">
                <summary>{ format!("Why is this shown? (paragraph {})", item.paragraph) }</summary>
                <p class="mcph-item__meta"><span class="mcph-item__label">{ "Who: " }</span>{ item.who.clone().unwrap_or_default() }</p>
                { when_line(item, view).unwrap_or_default() }
                <blockquote class="mcph-quote">{ item.quote.clone() }</blockquote>
                <p><a href={format!("{}{}", view.root, item.link)}>{ format!("Read paragraph {} in full", item.paragraph) }</a></p>
            </details>
        </li>
    }
}

fn item_view(item: &Item, view: &View, label: Option<String>) -> Html {
    entry_view(item, &[Citation::of(item)], view, label)
}

fn contradiction_view(c: &Contradiction, root: &str) -> Html {
    html! {
        <li class="mcph-item" data-rules={c.rules.join(" ")}>
            if let Some(note) = &c.note { <p class="mcph-item__text">{ note.clone() }</p> }
            { for (0..2).map(|i| html! {
                <div class="mcph-contradiction">
                    <blockquote class="mcph-quote">{ c.quotes[i].clone() }</blockquote>
                    <p><a href={format!("{root}{}", c.links[i])}>{ format!("Paragraph {}", c.paragraphs[i]) }</a></p>
                </div>
            }) }
        </li>
    }
}

/// Which label an item of a section wears.
#[derive(Clone, Copy)]
enum Label {
    None,
    Urgency,
    Starts,
}

/// A list of lines, shown in full up to `SHOWN_FIRST` more than that, the rest behind "… more".
fn lines(items: Vec<Html>, more: &str) -> Html {
    if items.len() <= SHOWN_FIRST + 1 {
        return html! { <ul class="mcph-list">{ for items }</ul> };
    }
    let mut items = items;
    let rest = items.split_off(SHOWN_FIRST);
    html! {
        <>
            <ul class="mcph-list">{ for items }</ul>
            <details class="mcph-details mcph-more">
                <summary>{ format!("{} more {more}", rest.len()) }</summary>
                <ul class="mcph-list">{ for rest }</ul>
            </details>
        </>
    }
}

fn section(key: &str, title: &str, intro: &str, items: &[Item], view: &View, label: Label) -> Html {
    if items.is_empty() {
        return html! {};
    }
    let label_of = |i: &Item| match label {
        Label::None => None,
        Label::Urgency => Some(summary::urgency(i)),
        Label::Starts => Some(summary::starts(i)),
    };
    let label_of = |i: &Item| match (label_of(i), i.certain()) {
        (l, true) => l,
        (Some(l), false) => Some(format!("{l}, if {}", summary::applies_if(i))),
        (None, false) => Some(format!("Applies if: {}", summary::applies_if(i))),
    };
    let body = html! {
        <>
            if !intro.is_empty() { <p>{ intro.to_string() }</p> }
            { lines(items.iter().map(|i| item_view(i, view, label_of(i))).collect(), "in this part") }
        </>
    };
    fold(key, title, items.len(), body)
}

/// A part of the result after the first ones: open when short, folded (its title and how many
/// lines) when long, so the result stays a few screens until the reader opens what they need.
fn fold(key: &str, title: &str, count: usize, body: Html) -> Html {
    if count <= FOLD_OVER {
        return html! {
            <section class="mcph-section" data-section={key.to_string()}>
                <h3>{ title.to_string() }</h3>
                { body }
            </section>
        };
    }
    html! {
        <section class="mcph-section" data-section={key.to_string()}>
            <details class="mcph-fold">
                <summary><h3 class="mcph-fold__title">{ format!("{title} ({count})") }</h3></summary>
                { body }
            </details>
        </section>
    }
}

/// A part of the actions (see `summary::layout`): its lines by who does them. What the asker
/// does is always open; the other parts fold when long.
fn part_view(part: &summary::Part, protocol: &str, view: &View) -> Html {
    let body = html! {
        <>
            if !part.intro.is_empty() { <p>{ part.intro }</p> }
            { for part.groups.iter().map(|(actor, entries)| html! {
                <>
                    if !actor.is_empty() && part.key != "yours" { <h4 class="mcph-actor">{ actor.clone() }</h4> }
                    { lines(entries.iter().map(|x| entry_view(&x.item, &x.citations, view, Some(summary::label(&x.item)))).collect(), "for them") }
                </>
            }) }
        </>
    };
    if part.key != "yours" {
        return fold(part.key, &part.title, part.entries().count(), body);
    }
    html! {
        <section class="mcph-section mcph-yours" data-section={part.key}>
            <h3 id={format!("mcph-now-{protocol}")} tabindex="-1">{ part.title.clone() }</h3>
            { body }
        </section>
    }
}

/// 999 and 101 as links, where an action of the result names them.
fn emergency(e: &Evaluation) -> Html {
    let says = |n: &str| {
        e.actions
            .iter()
            .any(|i| i.text.contains(n) || i.quote.contains(n))
    };
    if !says("999") {
        return html! {};
    }
    html! {
        <p class="mcph-emergency">
            { "If the child is in danger now, call " }<a href="tel:999">{ "999" }</a>
            if says("101") { { ". Otherwise the police's number is " }<a href="tel:101">{ "101" }</a> }
            { "." }
        </p>
    }
}

/// The answers a question of "These also apply if …" offers as buttons: (value for the form,
/// words). None for a number, which is typed into the form.
fn answer_buttons(field: &str) -> Option<Vec<(&'static str, &'static str)>> {
    match field {
        "police_risk" => Some(
            RISKS
                .iter()
                .copied()
                .filter(|(v, _)| *v != "unsure")
                .collect(),
        ),
        f if handbook_engine::condition::BoolField::ALL
            .iter()
            .any(|(n, _)| *n == f) =>
        {
            Some(vec![("yes", "Yes"), ("no", "No")])
        }
        _ => None,
    }
}

/// The form's input for a question answered by typing a number.
fn input_of(field: &str) -> &'static str {
    match field {
        "age" => ids::AGE,
        "hours_missing" => ids::TIME_MODE,
        "days_since_looked_after" => ids::DAYS_LOOKED_AFTER,
        "episodes_28_days" => ids::EPISODES_28,
        "episodes_90_days" => ids::EPISODES_90,
        "episodes_12_months" => ids::EPISODES_12M,
        _ => ids::AGE,
    }
}

/// "These also apply if …": what depends on a question left unanswered, grouped by the
/// question that settles it, each with its answers as buttons that update the result.
fn depends_view(
    e: &Evaluation,
    view: &View,
    on_answer: &Callback<(&'static str, String, String)>,
) -> Html {
    let groups = summary::waiting(e, &view.who);
    if groups.is_empty() {
        return html! {};
    }
    let heading = format!("mcph-depends-{}", e.protocol);
    html! {
        <section class="mcph-section mcph-depends" data-section="depends" aria-labelledby={heading.clone()}>
            <h3 id={heading} tabindex="-1">{ "These also apply if \u{2026}" }</h3>
            <p>{ "They depend on a question not answered yet: until it is, treat them as possibly applying. Answer it here to update the result." }</p>
            { for groups.iter().map(|g| {
                let q_id = format!("mcph-q-{}-{}", e.protocol, g.field);
                let field = g.field;
                html! {
                    <div class="mcph-depends__group" data-question={field}>
                        <h4 class="mcph-depends__question" id={q_id.clone()}>{ g.question }</h4>
                        if let Some(buttons) = answer_buttons(field) {
                            <div class="mcph-buttons mcph-answer" role="group" aria-labelledby={q_id}>
                                { for buttons.into_iter().map(|(value, words)| {
                                    let onclick = on_answer.reform(move |_: MouseEvent| (field, value.to_string(), words.to_string()));
                                    html! { <button type="button" class="mcph-button mcph-button--secondary" data-answer={value} {onclick}>{ words }</button> }
                                }) }
                            </div>
                        } else {
                            <p><a href={format!("#{}", input_of(field))} onclick={Callback::from(move |ev: MouseEvent| { ev.prevent_default(); focus(input_of(field)); })}>{ "Answer this in the form above" }</a></p>
                        }
                        <details class="mcph-details mcph-more">
                            <summary>{ format!("What the answer decides ({})", g.items.len()) }</summary>
                            <ul class="mcph-list">{ for g.items.iter().map(|i| compact_view(i, view)) }</ul>
                        </details>
                    </div>
                }
            }) }
        </section>
    }
}

fn result_view(
    e: &Evaluation,
    view: &View,
    on_answer: &Callback<(&'static str, String, String)>,
) -> Html {
    let nothing = e.applying().next().is_none()
        && e.depends.is_empty()
        && e.upcoming.is_empty()
        && e.on_return.is_empty();
    let parts = summary::layout(e, &view.who);
    let (first, rest) = parts.split_at(parts.len().min(1));
    html! {
        <div class="mcph-protocol-result" data-protocol={e.protocol.clone()}>
            { for e.notices.iter().map(|n| html! { <p class="mcph-notice">{ n.clone() }</p> }) }
            if nothing {
                <p>{ "None of the rules the checker knows applies to these answers. Answer more questions, or read the protocol: it may still say something about this situation." }</p>
            }
            { emergency(e) }
            { for first.iter().map(|p| part_view(p, &e.protocol, view)) }
            { depends_view(e, view, on_answer) }
            { for rest.iter().map(|p| part_view(p, &e.protocol, view)) }
            { section("upcoming", "If the child is still missing later", "These start to apply when the child has been missing for longer.", &e.upcoming, view, Label::Starts) }
            { section("on-return", "When the child is found or comes back", "These apply once the child is back. Each timescale runs from the child's return.", &e.on_return, view, Label::Urgency) }
            { section("classification", "How the protocol describes the situation", "", &e.classification, view, Label::None) }
            { section("considerations", "Things the protocol leaves to judgement", "The protocol says these may be considered; it does not require them.", &e.considerations, view, Label::None) }
            if !e.contradictions.is_empty() {
                <section class="mcph-section" data-section="contradictions">
                    <h3>{ "Where the protocol says different things" }</h3>
                    <p>{ "The protocol's text is not consistent on these points. Both passages are shown: use your judgement and ask your manager." }</p>
                    <ul class="mcph-list">{ for e.contradictions.iter().map(|c| contradiction_view(c, &view.root)) }</ul>
                </section>
            }
        </div>
    }
}

struct Compare<'a> {
    evals: &'a [Evaluation],
    protocols: &'a [Protocol],
    view: &'a View,
    on_answer: &'a Callback<(&'static str, String, String)>,
}

/// The same case under every protocol: a table of the key facts to read across, then one
/// column per protocol on a wide screen, stacked on a phone.
fn compare(p: Compare) -> Html {
    let short = |id: &str| {
        p.protocols
            .iter()
            .find(|x| x.id == id)
            .map(|x| x.short_title.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let texts = |items: &[Item]| {
        items
            .iter()
            .map(|i| i.text.clone())
            .collect::<Vec<_>>()
            .join(" ")
    };
    type Fact = Box<dyn Fn(&Evaluation) -> String>;
    let facts: Vec<(&str, Fact)> = vec![
        (
            "Classified as",
            Box::new(move |e: &Evaluation| {
                if e.classification.is_empty() {
                    "Not stated for these answers".to_string()
                } else {
                    texts(&e.classification)
                }
            }),
        ),
        (
            "Actions now",
            Box::new(|e: &Evaluation| e.actions.len().to_string()),
        ),
        (
            "Also apply if a question is answered",
            Box::new(|e: &Evaluation| e.depends.len().to_string()),
        ),
        (
            "Most urgent timed action",
            Box::new(|e: &Evaluation| {
                e.actions
                    .iter()
                    .find(|i| i.timescale.is_some())
                    .map(|i| format!("{}: {}", summary::urgency(i), i.text))
                    .unwrap_or_else(|| "None".to_string())
            }),
        ),
        (
            "Next change if still missing",
            Box::new(|e: &Evaluation| {
                e.upcoming
                    .first()
                    .map(|i| format!("{}: {}", summary::starts(i), i.text))
                    .unwrap_or_else(|| "None stated".to_string())
            }),
        ),
        (
            "When the child is back",
            Box::new(|e: &Evaluation| {
                e.on_return
                    .iter()
                    .find(|i| i.timescale.is_some())
                    .or(e.on_return.first())
                    .map(|i| format!("{}: {}", summary::urgency(i), i.text))
                    .unwrap_or_else(|| "Nothing more stated".to_string())
            }),
        ),
        (
            "Where the text disagrees with itself",
            Box::new(|e: &Evaluation| e.contradictions.len().to_string()),
        ),
    ];
    let rows = summary::by_action(p.evals);
    html! {
        <div class="mcph-compare" data-section="compare">
            <div class="mcph-table-wrap mcph-actions-wrap" role="region" aria-labelledby="mcph-actions-caption" tabindex="0">
                <table class="mcph-glance-table mcph-actions-table">
                    <caption id="mcph-actions-caption">{ "What each protocol says should happen, action by action" }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "Action" }</th>
                            { for p.evals.iter().map(|e| html! { <th scope="col">{ short(&e.protocol) }</th> }) }
                        </tr>
                    </thead>
                    <tbody>
                        { for rows.iter().map(|(name, cells)| html! {
                            <tr>
                                <th scope="row">{ name.clone() }</th>
                                { for cells.iter().map(|c| html! { <td class={classes!((c == "Not stated").then_some("mcph-not-stated"))}>{ c.clone() }</td> }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <div class="mcph-table-wrap" role="region" aria-labelledby="mcph-glance-caption" tabindex="0">
                <table class="mcph-glance-table">
                    <caption id="mcph-glance-caption">{ "At a glance: the same answers under each protocol" }</caption>
                    <thead>
                        <tr>
                            <th scope="col"><span class="mcph-visually-hidden">{ "Question" }</span></th>
                            { for p.evals.iter().map(|e| html! { <th scope="col">{ short(&e.protocol) }</th> }) }
                        </tr>
                    </thead>
                    <tbody>
                        { for facts.iter().map(|(title, f)| html! {
                            <tr>
                                <th scope="row">{ title.to_string() }</th>
                                { for p.evals.iter().map(|e| html! { <td>{ f(e) }</td> }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <p>{ "Each protocol's full answer follows: side by side on a wide screen, one after another on a phone." }</p>
            <div class="mcph-compare__grid">
            { for p.evals.iter().map(|e| html! {
                <section class="mcph-compare__column" data-protocol={e.protocol.clone()} aria-labelledby={format!("mcph-compare-{}", e.protocol)}>
                    <h3 id={format!("mcph-compare-{}", e.protocol)}>{ short(&e.protocol) }</h3>
                    <dl class="mcph-glance">
                        { for facts.iter().map(|(title, f)| html! {
                            <div><dt>{ title.to_string() }</dt><dd>{ f(e) }</dd></div>
                        }) }
                    </dl>
                    { result_view(e, p.view, p.on_answer) }
                </section>
            }) }
            </div>
        </div>
    }
}

/// Reads the page's address: `#protocol=id` preselects a protocol; a whole shared case
/// (see `handbook_engine::share`) fills the form and shows its result.
fn initial_from_address(protocols: &[Protocol], default_protocol: String) -> Initial {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let known = |id: &str| id == COMPARE || protocols.iter().any(|p| p.id == id);
    let mut initial = Initial::default();
    initial.form.protocol = if known(&default_protocol) {
        default_protocol
    } else {
        String::new()
    };
    if hash.trim_start_matches('#').is_empty() {
        return initial;
    }
    // Who was asking travels in the link too, beside the case (it is not part of it).
    let mut who = String::new();
    let hash: String = hash
        .trim_start_matches('#')
        .split('&')
        .filter(|kv| match kv.strip_prefix("who=") {
            Some(w) => {
                who = w
                    .chars()
                    .filter(|c| c.is_ascii_lowercase() || *c == '-')
                    .collect();
                false
            }
            None => true,
        })
        .collect::<Vec<_>>()
        .join("&");
    match share::from_fragment(&hash) {
        Ok(shared) => {
            let protocol = shared.protocol.filter(|p| known(p)).unwrap_or_default();
            let has_answers = shared.case != Case::default();
            initial.form = Form::from_case(&protocol, &shared.case);
            initial.form.who = who;
            initial.as_at = shared.case.now;
            initial.run = has_answers && !protocol.is_empty();
        }
        Err(errors) => {
            // Keep the protocol if it was readable; say what was left out.
            let protocol = hash
                .trim_start_matches('#')
                .split('&')
                .find_map(|kv| kv.strip_prefix("protocol="))
                .filter(|p| known(p))
                .unwrap_or_default();
            initial.form.protocol = protocol.to_string();
            initial.problems = errors.into_iter().map(|e| e.message).collect();
        }
    }
    initial
}

/// Finds the mount point and starts the checker in it, with the rule data's bytes. Rule data
/// that cannot be read is an error for the page's script to show, in plain words; the
/// decoder's own words go to the browser's console, for whoever looks after the site.
pub fn mount(rules: &[u8]) -> Result<(), String> {
    let Some(doc) = document() else { return Ok(()) };
    let Some(root) = doc.get_element_by_id(MOUNT_ID) else {
        return Ok(());
    };
    let protocols = handbook_engine::bundle::decode(rules).map_err(|e| {
        web_sys::console::error_1(&format!("checker/rules.bin: {e}").into());
        "its rule data could not be read".to_string()
    })?;
    let base = root.get_attribute("data-root").unwrap_or_default();
    let protocol = root.get_attribute("data-protocol").unwrap_or_default();
    let initial = initial_from_address(&protocols, protocol);
    root.set_inner_html("");
    let props = Props {
        protocols: Rc::new(protocols),
        root: base,
        initial,
    };
    yew::Renderer::<Checker>::with_root_and_props(root, props).render();
    if let Some(el) = doc.document_element() {
        let _ = el.set_attribute("data-checker", "ready");
    }
    Ok(())
}
