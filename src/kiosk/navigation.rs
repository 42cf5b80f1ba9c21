//! Where the visitor is: the `Screen` state, what that screen has open, and the way back.
//!
//! Every move goes through a `Navigate` message, so 返回 always returns to the previous view
//! and the idle reset can clear the history in one place.

use bevy::prelude::*;

pub fn plugin(app: &mut App) {
    app.init_state::<Screen>()
        .init_resource::<Navigation>()
        .add_message::<Navigate>()
        // After picking, so that a tap's screen is entered in the frame of the tap.
        .add_systems(PreUpdate, apply_navigation.after(bevy::picking::PickingSystems::Last).run_if(on_message::<Navigate>))
        .add_observer(navigate_on_tap);
}

#[derive(States, Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Screen {
    /// Rotating highlights until someone touches the screen.
    #[default]
    Attract,
    Home,
    Catalogue,
    Documents,
    Reader,
    /// An attachment of a document, page by page.
    Attachment,
    Interpretations,
    KeyWork,
    Guides,
    Consultations,
    Notices,
    /// 居(村)务公开.
    Community,
    /// 行政权力运行结果.
    AdminRecords,
    Apply,
    Interaction,
    Dashboard,
    Search,
    Admin,
    /// The LED wall's playlist (`[wall]` in the config); no input.
    Wall,
    /// No content passed the checker: say so plainly instead of showing nothing.
    OutOfService,
}

impl Screen {
    /// The name proof of play counts a visitor's screen by; `None` for what no visitor opens.
    pub fn visitor_title(self) -> Option<&'static str> {
        Some(match self {
            Screen::Attract | Screen::Admin | Screen::Wall | Screen::OutOfService => return None,
            Screen::Home => "首页",
            Screen::Catalogue => "公开目录",
            Screen::Documents => "政策文件",
            Screen::Reader => "文件全文",
            Screen::Attachment => "附件",
            Screen::Interpretations => "政策解读",
            Screen::KeyWork => "重点工作",
            Screen::Guides => "办事指南",
            Screen::Consultations => "意见征集",
            Screen::Notices => "通知公告",
            Screen::Community => "居(村)务公开",
            Screen::AdminRecords => "行政权力运行结果",
            Screen::Apply => "依申请公开",
            Screen::Interaction => "政民互动",
            Screen::Dashboard => "数据大屏",
            Screen::Search => "搜索",
        })
    }
}

/// One view: a screen, what it has open, and the page of its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Route {
    pub screen: Screen,
    /// The catalogue domain being browsed, the community, the attachment of the document, or
    /// on 搜索 the 手写 pad.
    pub domain: Option<usize>,
    /// The item open on this screen (a document, guide, consultation …), by position.
    pub open: Option<usize>,
    /// Zero-based page of the screen's list.
    pub page: usize,
}

impl Route {
    pub fn to(screen: Screen) -> Self {
        Self { screen, ..default() }
    }
    pub fn opening(screen: Screen, open: usize) -> Self {
        Self { screen, open: Some(open), ..default() }
    }
    pub fn at_page(self, page: usize) -> Self {
        Self { page, ..self }
    }
}

#[derive(Resource, Debug, Default)]
pub struct Navigation {
    pub current: Route,
    history: Vec<Route>,
}

impl Navigation {
    pub fn can_go_back(&self) -> bool {
        !self.history.is_empty()
    }
}

/// A request to move; applied before the frame's `Update`.
#[derive(Message, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Navigate {
    /// Open a view; 返回 comes back here.
    To(Route),
    /// Show this view in place of the current one, even if it is the same (another page of
    /// a list, new search text); 返回 skips it.
    Replace(Route),
    /// Show the current view again (the look or the window shape changed).
    Refresh,
    Back,
    Home,
    /// Start over for the next visitor: attract loop, no history.
    Reset,
}

/// Put on a tappable node: tapping it navigates.
#[derive(Component, Debug, Clone, Copy)]
pub struct NavigateOnTap(pub Navigate);

fn navigate_on_tap(click: On<Pointer<Click>>, targets: Query<&NavigateOnTap>, mut navigate: MessageWriter<Navigate>) {
    if let Ok(NavigateOnTap(request)) = targets.get(click.entity) {
        navigate.write(*request);
    }
}

fn apply_navigation(
    mut requests: MessageReader<Navigate>,
    mut navigation: ResMut<Navigation>,
    mut next: ResMut<NextState<Screen>>,
) {
    let Navigation { current, history } = &mut *navigation;
    let before = *current;
    let mut refresh = false;
    for request in requests.read() {
        match *request {
            Navigate::To(route) => {
                if route != *current {
                    history.push(*current);
                    *current = route;
                }
            }
            Navigate::Replace(route) => {
                *current = route;
                refresh = true;
            }
            Navigate::Refresh => refresh = true,
            Navigate::Back => *current = history.pop().unwrap_or(Route::to(Screen::Home)),
            // Both always show their screen afresh, even when already on it.
            Navigate::Home => {
                history.clear();
                *current = Route::to(Screen::Home);
                refresh = true;
            }
            Navigate::Reset => {
                history.clear();
                *current = Route::to(Screen::Attract);
                refresh = true;
            }
        }
    }
    if *current != before || refresh {
        // `set` runs OnExit/OnEnter even for the same screen, which respawns it for the new view.
        next.set(current.screen);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy::state::app::StatesPlugin;

    fn app() -> App {
        let mut app = App::new();
        app.add_plugins((MinimalPlugins, StatesPlugin)).add_plugins(plugin);
        app.update();
        app
    }

    fn go(app: &mut App, request: Navigate) -> Route {
        app.world_mut().write_message(request);
        app.update();
        app.world().resource::<Navigation>().current
    }

    #[test]
    fn back_retraces_and_home_clears() {
        let mut app = app();
        let reader = Route::opening(Screen::Reader, 3);
        go(&mut app, Navigate::To(Route::to(Screen::Home)));
        go(&mut app, Navigate::To(Route::to(Screen::Documents)));
        go(&mut app, Navigate::Replace(Route::to(Screen::Documents).at_page(2)));
        go(&mut app, Navigate::To(reader));
        assert_eq!(*app.world().resource::<State<Screen>>().get(), Screen::Reader);
        assert_eq!(go(&mut app, Navigate::Back), Route::to(Screen::Documents).at_page(2));
        assert_eq!(go(&mut app, Navigate::Back), Route::to(Screen::Home));
        go(&mut app, Navigate::To(reader));
        assert_eq!(go(&mut app, Navigate::Home), Route::to(Screen::Home));
        assert!(!app.world().resource::<Navigation>().can_go_back());
        assert_eq!(go(&mut app, Navigate::Back), Route::to(Screen::Home), "返回 on home stays home");
        assert_eq!(go(&mut app, Navigate::Reset).screen, Screen::Attract);
    }
}
