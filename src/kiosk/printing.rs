//! 打印 on the reader, an attachment, a 办事指南 and a 公开目录 item (when the config has a
//! `[print]` queue). A tap opens a dialog that first says how many pages will print, or plainly
//! why nothing can print now (no paper, printer offline, today's pages used); 确认打印 sends
//! the job. The core makes the PDF and talks to CUPS on a worker thread, so the screen never
//! waits; nothing about the visitor is kept.

use std::{
    sync::{
        Arc,
        Mutex,
        mpsc::{Receiver, TryRecvError, channel},
    },
    time::Duration,
};

use bevy::prelude::*;
use chrono::NaiveDate;

use super::{
    Shown,
    hall_clock::HallClock,
    idle::VisitorLeft,
    navigation::Screen,
    pacing::NextChange,
    widgets::{ButtonStyle, Ui, button, paragraph},
};
use gongkai_core::{
    config::PrintSection,
    library::Library,
    print::{
        Printable,
        allowance::{PrintAllowance, PrintPlan},
        cups::{self, PrinterState},
        pdf::{self, Fonts, Imprint, Pdf},
    },
};

pub fn plugin(app: &mut App) {
    app.add_observer(open_on_tap)
        .add_observer(answer_on_tap)
        .add_systems(Update, follow_the_work.run_if(resource_exists::<Printing>))
        .add_systems(Update, close.run_if(on_message::<VisitorLeft>));
}

/// The hall printer, present when the config has `[print]`.
#[derive(Resource)]
pub struct Printing {
    queue: String,
    fonts: Arc<Fonts>,
    allowance: PrintAllowance,
    /// The worker's answer to come (in a mutex only so the resource may be shared).
    work: Option<Mutex<Receiver<Done>>>,
    /// The PDF the dialog offers, with what of it will print.
    offered: Option<(Arc<Pdf>, String, PrintPlan)>,
}

impl Printing {
    pub fn new(config: &PrintSection, fonts: Fonts) -> Self {
        // The integrator learns at start, from the log, when the named queue is not there.
        let queue = config.queue.clone();
        std::thread::spawn(move || match cups::printer_state(&queue) {
            Ok(PrinterState::Missing) => warn!("打印: CUPS has no queue {queue:?} (see `lpstat -p`): 打印 will say 暂停服务"),
            Ok(_) => {}
            Err(problem) => warn!("打印: {problem:#}"),
        });
        Printing {
            queue: config.queue.clone(),
            fonts: Arc::new(fonts),
            allowance: PrintAllowance::new(config),
            work: None,
            offered: None,
        }
    }
}

/// What a visitor prints; put on the 打印 button.
#[derive(Component, Clone, Copy, Debug)]
pub enum PrintOnTap {
    Document(usize),
    Attachment { document: usize, attachment: usize },
    Guide(usize),
    CatalogueItem { domain: usize, item: usize },
}

impl PrintOnTap {
    fn printable(self, library: &Library) -> Option<Printable> {
        let content = &library.content;
        match self {
            PrintOnTap::Document(d) => Some(Printable::document(library, content.documents.get(d)?)),
            PrintOnTap::Attachment { document, attachment } => {
                Printable::attachment(library, content.documents.get(document)?, attachment)
            }
            PrintOnTap::Guide(g) => Some(Printable::guide(library, content.service_guides.get(g)?)),
            PrintOnTap::CatalogueItem { domain, item } => {
                let domain = content.catalogue.domains.get(domain)?;
                Some(Printable::catalogue_item(&domain.name, domain.items.get(item)?))
            }
        }
    }
}

/// Spawns the 打印 button under `parent` when this kiosk has a printer.
pub fn print_button(commands: &mut Commands, parent: Entity, ui: &Ui, printing: Option<&Printing>, what: PrintOnTap) {
    if printing.is_some() {
        commands.spawn((ChildOf(parent), button("打印", ui, ButtonStyle::Secondary), what));
    }
}

/// What the worker thread reports.
enum Done {
    Prepared(Result<(Pdf, String, PrinterState), String>),
    Sent(Result<usize, String>),
    /// The printer failed between the page count and 确认打印: nothing was sent.
    Refused(PrinterState),
}

#[derive(Component)]
struct PrintDialog;

#[derive(Component, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Print,
    Close,
}

const CANNOT: &str = "暂时不能打印，请联系大厅工作人员，或扫码在手机上查看。";

fn open_on_tap(
    click: On<Pointer<Click>>,
    buttons: Query<&PrintOnTap>,
    printing: Option<ResMut<Printing>>,
    shown: Res<Shown>,
    clock: Res<HallClock>,
    screen: Res<State<Screen>>,
    mut commands: Commands,
    ui: Ui,
) {
    let (Ok(what), Some(mut printing), Some(library)) = (buttons.get(click.entity), printing, shown.0.clone()) else {
        return;
    };
    let today = clock.now().date();
    if printing.work.is_some() {
        return;
    }
    let (sender, receiver) = channel();
    let (queue, fonts, what) = (printing.queue.clone(), printing.fonts.clone(), *what);
    std::thread::spawn(move || {
        let _ = sender.send(Done::Prepared(prepare(&library, what, today, &queue, &fonts)));
    });
    printing.work = Some(Mutex::new(receiver));
    printing.offered = None;
    spawn_dialog(&mut commands, &ui, *screen.get(), "正在准备打印…", &[]);
}

fn prepare(
    library: &Library,
    what: PrintOnTap,
    today: NaiveDate,
    queue: &str,
    fonts: &Fonts,
) -> Result<(Pdf, String, PrinterState), String> {
    let printable = what.printable(library).ok_or("nothing to print")?;
    let imprint = Imprint { hall: &library.content.site.hall, printed_on: today };
    let pdf = pdf::make(&printable, &imprint, fonts).map_err(|e| format!("{e:#}"))?;
    let state = cups::printer_state(queue).map_err(|e| format!("{e:#}"))?;
    Ok((pdf, printable.title, state))
}

fn answer_on_tap(
    click: On<Pointer<Click>>,
    answers: Query<&Answer>,
    printing: Option<ResMut<Printing>>,
    dialogs: Query<Entity, With<PrintDialog>>,
    screen: Res<State<Screen>>,
    mut commands: Commands,
    ui: Ui,
) {
    let (Ok(answer), Some(mut printing)) = (answers.get(click.entity), printing) else { return };
    if *answer == Answer::Close {
        close_dialogs(&mut commands, &dialogs);
        printing.offered = None;
        return;
    }
    let Some((pdf, title, plan)) = printing.offered.take() else { return };
    let (sender, receiver) = channel();
    let queue = printing.queue.clone();
    std::thread::spawn(move || {
        let _ = sender.send(send(&queue, &pdf, &title, plan.pages()));
    });
    printing.work = Some(Mutex::new(receiver));
    close_dialogs(&mut commands, &dialogs);
    spawn_dialog(&mut commands, &ui, *screen.get(), "正在发送到打印机…", &[]);
}

/// Asks the printer again (it may have run out of paper since the page count), then hands
/// the PDF to CUPS through a private temporary file, removed once CUPS has its copy.
fn send(queue: &str, pdf: &Pdf, title: &str, pages: usize) -> Done {
    match cups::printer_state(queue) {
        Ok(PrinterState::Ready) => Done::Sent(submit_copy(queue, pdf, title, pages)),
        Ok(fault) => Done::Refused(fault),
        Err(problem) => Done::Sent(Err(format!("{problem:#}"))),
    }
}

fn submit_copy(queue: &str, pdf: &Pdf, title: &str, pages: usize) -> Result<usize, String> {
    use std::{io::Write, os::unix::fs::OpenOptionsExt};
    let token = gongkai_core::random::hex_token().map_err(|e| e.to_string())?;
    let file = std::env::temp_dir().join(format!("gongkai-print-{token}.pdf"));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&file)
        .and_then(|mut out| out.write_all(&pdf.bytes));
    let sent = written
        .map_err(|e| format!("{}: {e}", file.display()))
        .and_then(|()| cups::submit(queue, &file, title, pages).map_err(|e| format!("{e:#}")));
    let _ = std::fs::remove_file(&file);
    sent.map(|_| pages)
}

fn follow_the_work(
    mut printing: ResMut<Printing>,
    clock: Res<HallClock>,
    dialogs: Query<Entity, With<PrintDialog>>,
    screen: Res<State<Screen>>,
    mut next_change: ResMut<NextChange>,
    mut commands: Commands,
    ui: Ui,
) {
    let Some(work) = printing.work.as_mut() else { return };
    let answer = work.get_mut().map_err(|_| TryRecvError::Disconnected).and_then(|receiver| receiver.try_recv());
    let done = match answer {
        Ok(done) => done,
        Err(TryRecvError::Empty) => {
            next_change.within(Duration::from_millis(100));
            return;
        }
        Err(TryRecvError::Disconnected) => Done::Sent(Err("the print worker stopped".into())),
    };
    printing.work = None;
    let today = clock.now().date();
    if let Done::Sent(Ok(pages)) = done {
        // Counted even when the visitor has left meanwhile: the pages did print.
        printing.allowance.spend(today, pages);
    }
    if dialogs.is_empty() {
        return; // the visitor closed the dialog or left meanwhile
    }
    close_dialogs(&mut commands, &dialogs);
    let screen = *screen.get();
    let close = [("知道了", Answer::Close, ButtonStyle::Primary)];
    match done {
        Done::Prepared(Ok((pdf, title, PrinterState::Ready))) => {
            let plan = printing.allowance.plan(today, pdf.pages);
            if plan == PrintPlan::DayUsedUp {
                spawn_dialog(&mut commands, &ui, screen, &plan.describe(), &close);
            } else {
                printing.offered = Some((Arc::new(pdf), title, plan));
                let answers = [("确认打印", Answer::Print, ButtonStyle::Primary), ("取消", Answer::Close, ButtonStyle::Secondary)];
                spawn_dialog(&mut commands, &ui, screen, &plan.describe(), &answers);
            }
        }
        Done::Prepared(Ok((_, _, fault))) | Done::Refused(fault) => {
            spawn_dialog(&mut commands, &ui, screen, fault.notice().unwrap_or(CANNOT), &close);
        }
        Done::Sent(Ok(pages)) => {
            let message = format!("已发送到打印机，共 {pages} 页。请在打印机出纸口取件。");
            spawn_dialog(&mut commands, &ui, screen, &message, &[("完成", Answer::Close, ButtonStyle::Primary)]);
        }
        Done::Prepared(Err(problem)) | Done::Sent(Err(problem)) => {
            warn!("打印: {problem}");
            spawn_dialog(&mut commands, &ui, screen, CANNOT, &close);
        }
    }
}

/// The dialog over `screen`, gone when the visitor leaves it.
fn spawn_dialog(commands: &mut Commands, ui: &Ui, screen: Screen, message: &str, answers: &[(&str, Answer, ButtonStyle)]) {
    let theme = &ui.theme;
    let dialog = commands
        .spawn((
            PrintDialog,
            DespawnOnExit(screen),
            GlobalZIndex(90),
            // The dialog takes every tap: nothing behind it reacts while it is open.
            Button,
            Node {
                position_type: PositionType::Absolute,
                width: percent(100),
                height: percent(100),
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                ..default()
            },
            BackgroundColor(theme.colors.overlay),
        ))
        .id();
    let card = commands
        .spawn((
            ChildOf(dialog),
            Node {
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                row_gap: px(theme.gap()),
                padding: UiRect::all(px(theme.gap() * 2.0)),
                max_width: percent(80),
                ..default()
            },
            BackgroundColor(theme.colors.surface),
        ))
        .id();
    commands.spawn((ChildOf(card), paragraph(message, ui, theme.heading(), theme.colors.text)));
    let row = commands.spawn((ChildOf(card), Node { column_gap: px(theme.gap()), ..default() })).id();
    for (text, answer, style) in answers {
        commands.spawn((ChildOf(row), button(*text, ui, *style), *answer));
    }
}

fn close_dialogs(commands: &mut Commands, dialogs: &Query<Entity, With<PrintDialog>>) {
    for dialog in dialogs {
        commands.entity(dialog).despawn();
    }
}

fn close(printing: Option<ResMut<Printing>>, dialogs: Query<Entity, With<PrintDialog>>, mut commands: Commands) {
    close_dialogs(&mut commands, &dialogs);
    if let Some(mut printing) = printing {
        printing.offered = None;
    }
}
