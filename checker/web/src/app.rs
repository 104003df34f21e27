//! The checker's components. They render state and emit callbacks; the rules are the
//! engine's, the form's checks are `form`'s.

use crate::form::{FieldError, Form, ids};
use handbook_engine::eval::{Contradiction, Evaluation, Item};
use handbook_engine::{Protocol, evaluate};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The id of the element the page gives the checker (see the book builder).
const MOUNT_ID: &str = "mcph-checker-mount";
const SUMMARY_ID: &str = "mcph-error-summary";
const RESULT_ID: &str = "mcph-result-heading";

#[derive(Properties, PartialEq)]
pub struct Props {
    pub protocols: Rc<Vec<Protocol>>,
    /// The relative path from this page to the site root ("", "../../").
    pub root: String,
    pub protocol: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Field {
    Protocol,
    Age,
    LookedAfter,
    Returned,
    Whereabouts,
    Hours,
    Episodes,
    Risk,
}

#[derive(Clone, Default, PartialEq)]
struct Model {
    form: Form,
    errors: Vec<FieldError>,
    result: Option<Rc<Evaluation>>,
    /// Bumped each time the reader asks for the result, so focus moves once per request.
    asked: u32,
}

fn set(form: &mut Form, field: Field, value: String) {
    match field {
        Field::Protocol => form.protocol = value,
        Field::Age => form.age = value,
        Field::LookedAfter => form.looked_after = value,
        Field::Returned => form.returned = value,
        Field::Whereabouts => form.whereabouts = value,
        Field::Hours => form.hours = value,
        Field::Episodes => form.episodes_28 = value,
        Field::Risk => form.risk = value,
    }
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

/// The protocol named in the page's address (`#protocol=wandsworth`), if any.
fn protocol_from_address() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    hash.trim_start_matches('#')
        .split('&')
        .find_map(|kv| kv.strip_prefix("protocol="))
        .map(str::to_string)
}

#[component(Checker)]
fn checker(props: &Props) -> Html {
    let model = use_state(|| Model {
        form: Form {
            protocol: props.protocol.clone(),
            ..Form::default()
        },
        ..Model::default()
    });
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

    let on_field = {
        let model = model.clone();
        Callback::from(move |(field, value): (Field, String)| {
            let mut m = (*model).clone();
            set(&mut m.form, field, value);
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
            match m.form.to_case() {
                Ok(case) => {
                    m.errors.clear();
                    m.result = protocols
                        .iter()
                        .find(|p| p.id == m.form.protocol)
                        .map(|p| Rc::new(evaluate(p, &case)));
                }
                Err(errors) => {
                    m.errors = errors;
                    m.result = None;
                }
            }
            model.set(m);
        })
    };
    let on_reset = {
        let model = model.clone();
        Callback::from(move |_: MouseEvent| {
            model.set(Model::default());
            focus(ids::PROTOCOL);
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
            .find(|e| e.field == id)
            .map(|e| e.message.clone())
    };
    let returned = f.returned == "yes";
    let chosen = props.protocols.iter().find(|p| p.id == f.protocol);

    html! {
        <div class="mcph-app" onkeydown={on_key}>
            if !model.errors.is_empty() {
                <ErrorSummary errors={model.errors.clone()} />
            }
            <form novalidate=true onsubmit={on_submit} aria-label="Quick checker">
                <SelectField id={ids::PROTOCOL} label="Which protocol do you want to check against?"
                    hint="Choose the local protocol that covers the child."
                    value={f.protocol.clone()} error={error_for(ids::PROTOCOL)}
                    options={props.protocols.iter().map(|p| (p.id.clone(), format!("{} ({})", p.short_title, p.authority))).collect::<Vec<_>>()}
                    on_change={on_field.reform(|v| (Field::Protocol, v))} />
                <TextField id={ids::AGE} label="How old is the child?" hint="In years, for example 15."
                    value={f.age.clone()} error={error_for(ids::AGE)} width="mcph-input--3"
                    on_input={on_field.reform(|v| (Field::Age, v))} />
                <Radios id={ids::LOOKED_AFTER} legend="Is the child looked after (in care)?"
                    name="looked_after" value={f.looked_after.clone()} error={error_for(ids::LOOKED_AFTER)}
                    options={vec![("yes", "Yes"), ("no", "No"), ("", "Not sure")]}
                    on_change={on_field.reform(|v| (Field::LookedAfter, v))} />
                <Radios id={ids::RETURNED} legend="Has the child been found or come back?"
                    name="returned" value={f.returned.clone()} error={error_for(ids::RETURNED)}
                    options={vec![("no", "No, the child is still missing"), ("yes", "Yes, the child has been found or has come back"), ("", "Not sure")]}
                    on_change={on_field.reform(|v| (Field::Returned, v))} />
                if !returned {
                    <Radios id={ids::WHEREABOUTS} legend="Do you know where the child is?"
                        name="whereabouts_known" value={f.whereabouts.clone()} error={error_for(ids::WHEREABOUTS)}
                        options={vec![("yes", "Yes, we know where the child is"), ("no", "No, we do not know where the child is"), ("", "Not sure")]}
                        on_change={on_field.reform(|v| (Field::Whereabouts, v))} />
                }
                <TextField id={ids::HOURS}
                    label={if returned { "How many hours was the child missing?" } else { "How many hours has the child been missing?" }}
                    hint="Count from when the child was reported missing, for example 26 or 2.5. Leave blank if you do not know."
                    value={f.hours.clone()} error={error_for(ids::HOURS)} width="mcph-input--5" decimal=true
                    on_input={on_field.reform(|v| (Field::Hours, v))} />
                <TextField id={ids::EPISODES}
                    label="How many times has the child gone missing in the last 28 days, including this time?"
                    hint="For example 1 if this is the first time. Leave blank if you do not know."
                    value={f.episodes_28.clone()} error={error_for(ids::EPISODES)} width="mcph-input--3"
                    on_input={on_field.reform(|v| (Field::Episodes, v))} />
                <Radios id={ids::RISK} legend="What risk level have the police given?"
                    name="police_risk" value={f.risk.clone()} error={error_for(ids::RISK)}
                    options={vec![("high", "High"), ("medium", "Medium"), ("low", "Low"), ("no-apparent-risk", "No apparent risk"), ("", "Not known")]}
                    on_change={on_field.reform(|v| (Field::Risk, v))} />
                <div class="mcph-buttons">
                    <button type="submit" class="mcph-button">{ "Show what the protocol says" }</button>
                    <button type="button" class="mcph-button mcph-button--secondary" onclick={on_reset}>{ "Start again" }</button>
                </div>
            </form>
            if let (Some(result), Some(p)) = (&model.result, chosen) {
                <Result eval={result.clone()} root={props.root.clone()} short_title={p.short_title.clone()} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ErrorSummaryProps {
    errors: Vec<FieldError>,
}

#[component(ErrorSummary)]
fn error_summary(props: &ErrorSummaryProps) -> Html {
    html! {
        <div class="mcph-error-summary" id={SUMMARY_ID} tabindex="-1" role="alert" aria-labelledby="mcph-error-title">
            <h2 class="mcph-error-summary__title" id="mcph-error-title">{ "There is a problem" }</h2>
            <ul class="mcph-error-summary__list">
                { for props.errors.iter().map(|e| {
                    let id = e.field;
                    let onclick = Callback::from(move |ev: MouseEvent| { ev.prevent_default(); focus(id); });
                    html! { <li><a href={format!("#{}", e.field)} {onclick}>{ e.message.clone() }</a></li> }
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

#[derive(Properties, PartialEq)]
struct TextFieldProps {
    id: &'static str,
    label: AttrValue,
    hint: AttrValue,
    value: String,
    error: Option<String>,
    width: &'static str,
    #[prop_or_default]
    decimal: bool,
    on_input: Callback<String>,
}

#[component(TextField)]
fn text_field(p: &TextFieldProps) -> Html {
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

#[derive(Properties, PartialEq)]
struct SelectFieldProps {
    id: &'static str,
    label: AttrValue,
    hint: AttrValue,
    value: String,
    error: Option<String>,
    options: Vec<(String, String)>,
    on_change: Callback<String>,
}

#[component(SelectField)]
fn select_field(p: &SelectFieldProps) -> Html {
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
                <option value="" selected={p.value.is_empty()}>{ "Choose a protocol" }</option>
                { for p.options.iter().map(|(v, label)| html! {
                    <option value={v.clone()} selected={*v == p.value}>{ label.clone() }</option>
                }) }
            </select>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RadiosProps {
    id: &'static str,
    legend: AttrValue,
    name: &'static str,
    value: String,
    error: Option<String>,
    options: Vec<(&'static str, &'static str)>,
    on_change: Callback<String>,
}

#[component(Radios)]
fn radios(p: &RadiosProps) -> Html {
    html! {
        <div class={classes!("mcph-field", p.error.is_some().then_some("mcph-field--error"))}>
            <fieldset class="mcph-fieldset" aria-describedby={described_by(p.id, false, &p.error)}>
                <legend class="mcph-legend">{ p.legend.clone() }</legend>
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

#[derive(Properties, PartialEq)]
struct ResultProps {
    eval: Rc<Evaluation>,
    root: String,
    short_title: String,
}

fn urgency(item: &Item) -> String {
    if let (Some(h), Some(w)) = (item.starts_at_hours, &item.starts_when) {
        let w = if w == "after" { "After" } else { "At" };
        return format!("{w} {} hours", handbook_engine::condition::fmt_num(h));
    }
    match &item.timescale {
        None => "Now".to_string(),
        Some(t) => format!("Within {} {}", t.amount, t.unit.words(t.amount)),
    }
}

fn item_view(item: &Item, root: &str, show_urgency: bool) -> Html {
    let link = format!("{root}{}", item.link);
    html! {
        <li class="mcph-item" data-rule={item.rule.clone()}>
            if show_urgency {
                <strong class="mcph-tag">{ urgency(item) }</strong>
            }
            <p class="mcph-item__text">{ item.text.clone() }</p>
            if let Some(who) = &item.who {
                <p class="mcph-item__meta"><span class="mcph-item__label">{ "Who: " }</span>{ who.clone() }</p>
            }
            if let Some(words) = &item.timescale_words {
                <p class="mcph-item__meta"><span class="mcph-item__label">{ "When: " }</span>
                    { words.clone() }
                    if let Some(due) = &item.due_words { { format!(", by {due}") } }
                </p>
            }
            <p class="mcph-item__meta"><span class="mcph-item__label">{ "Why: " }</span>
                { if item.because.is_empty() { "the protocol says this in every case".to_string() } else { item.because.join(", ") } }
            </p>
            <details class="mcph-details">
                <summary>{ format!("What the protocol says (paragraph {})", item.paragraph) }</summary>
                <blockquote class="mcph-quote">{ item.quote.clone() }</blockquote>
                <p><a href={link}>{ format!("Read paragraph {} in full", item.paragraph) }</a></p>
            </details>
        </li>
    }
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

fn section(key: &str, title: &str, intro: &str, items: &[Item], root: &str, urgency: bool) -> Html {
    if items.is_empty() {
        return html! {};
    }
    html! {
        <section class="mcph-section" data-section={key.to_string()}>
            <h3>{ title.to_string() }</h3>
            if !intro.is_empty() { <p>{ intro.to_string() }</p> }
            <ul class="mcph-list">{ for items.iter().map(|i| item_view(i, root, urgency)) }</ul>
        </section>
    }
}

#[component(Result)]
fn result(p: &ResultProps) -> Html {
    let e = &p.eval;
    let nothing = e.classification.is_empty()
        && e.actions.is_empty()
        && e.upcoming.is_empty()
        && e.considerations.is_empty();
    html! {
        <div class="mcph-result" aria-live="polite">
            <h2 id={RESULT_ID} tabindex="-1">{ format!("What the {} protocol says", p.short_title) }</h2>
            { for e.notices.iter().map(|n| html! { <p class="mcph-notice">{ n.clone() }</p> }) }
            if nothing {
                <p>{ "The protocol's rules that the checker knows do not apply to the answers given. Answer more questions, or read the protocol: it may still say something about this situation." }</p>
            }
            { section("classification", "How the protocol classifies this", "", &e.classification, &p.root, false) }
            { section("actions", "What to do now", "Most urgent first.", &e.actions, &p.root, true) }
            { section("upcoming", "If the child is still missing later", "These start to apply when the child has been missing for longer.", &e.upcoming, &p.root, true) }
            { section("considerations", "Things the protocol leaves to judgement", "The protocol says these may be considered; it does not require them.", &e.considerations, &p.root, false) }
            if !e.contradictions.is_empty() {
                <section class="mcph-section" data-section="contradictions">
                    <h3>{ "Where the protocol says different things" }</h3>
                    <p>{ "The protocol's text is not consistent on these points. Both passages are shown: use your judgement and ask your manager." }</p>
                    <ul class="mcph-list">{ for e.contradictions.iter().map(|c| contradiction_view(c, &p.root)) }</ul>
                </section>
            }
        </div>
    }
}

/// Finds the mount point and starts the checker in it.
pub fn mount() {
    let Some(doc) = document() else { return };
    let Some(root) = doc.get_element_by_id(MOUNT_ID) else {
        return;
    };
    let protocols = match crate::protocols() {
        Ok(p) => p,
        Err(e) => {
            root.set_inner_html(&format!(
                "<p class=\"mcph-notice\">The checker's rule data could not be read ({}). Please read the protocols instead.</p>",
                e.replace('<', "&lt;")
            ));
            return;
        }
    };
    let base = root.get_attribute("data-root").unwrap_or_default();
    let mut protocol = root.get_attribute("data-protocol").unwrap_or_default();
    if let Some(p) = protocol_from_address() {
        protocol = p;
    }
    if !protocols.iter().any(|p| p.id == protocol) {
        protocol.clear();
    }
    root.set_inner_html("");
    let props = Props {
        protocols: Rc::new(protocols),
        root: base,
        protocol,
    };
    yew::Renderer::<Checker>::with_root_and_props(root, props).render();
    if let Some(el) = doc.document_element() {
        let _ = el.set_attribute("data-checker", "ready");
    }
}
