//! 扫码带走 / 手机办理: a signed handoff link drawn as a QR code with its caption.
//!
//! The code is drawn at a whole number of physical pixels per module (nearest sampling, node
//! sized in physical pixels through `UiScale`) so no module is blurred or uneven.

use bevy::{
    asset::RenderAssetUsages,
    ecs::system::SystemParam,
    image::ImageSampler,
    prelude::*,
    render::render_resource::{Extent3d, TextureDimension, TextureFormat},
};

use super::text::{Ui, label, paragraph};
use gongkai_core::handoff::{LinkSigner, Target, qr_modules};

/// The link a QR code on screen encodes (tests decode the picture and compare).
#[derive(Component, Debug, Clone)]
pub struct HandoffQr(pub String);

/// Physical pixels the QR symbol aims for on a 1080p screen; larger with more pixels.
const TARGET_SIDE_AT_1080P: f32 = 330.0;
/// A card's width, logical pixels: the code and its margins.
pub const QR_CARD_WIDTH: f32 = TARGET_SIDE_AT_1080P + 80.0;

/// QR codes drawn since the kiosk started, by target kind: the first step of the funnel
/// (QR shown → link opened → submitted) that the heartbeat reports to the hub.
#[derive(Resource, Debug, Clone, Default)]
pub struct QrShownCounts(pub std::collections::BTreeMap<String, u64>);

/// This kiosk's link signer, from its config.
#[derive(Resource, Clone)]
pub struct HandoffSigner(pub LinkSigner);

/// What drawing a QR code needs.
#[derive(SystemParam)]
pub struct QrMaker<'w> {
    signer: Res<'w, HandoffSigner>,
    shown: ResMut<'w, QrShownCounts>,
    images: ResMut<'w, Assets<Image>>,
    ui_scale: Res<'w, UiScale>,
}

impl QrMaker<'_> {
    /// The image assets, for screens that add pictures beside their QR codes.
    pub fn images(&mut self) -> &mut Assets<Image> {
        &mut self.images
    }
}

pub fn qr_card(
    commands: &mut Commands,
    parent: Entity,
    target: &Target,
    caption: &str,
    ui: &Ui,
    qr: &mut QrMaker,
) -> Entity {
    let ui_scale = qr.ui_scale.0;
    let theme = &ui.theme;
    let card = commands
        .spawn((
            ChildOf(parent),
            Node {
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                padding: UiRect::all(px(20)),
                row_gap: px(12),
                border_radius: BorderRadius::all(px(theme.radius())),
                flex_shrink: 0.0,
                // A fixed width lets the caption's wrapped height be measured before layout.
                width: px(QR_CARD_WIDTH),
                ..default()
            },
            BackgroundColor(Color::WHITE),
        ))
        .id();
    let now = chrono::Utc::now().timestamp();
    let modules = qr.signer.0.link(target, now).map_err(|e| e.to_string()).and_then(|link| Ok((qr_modules(&link)?, link)));
    match modules {
        Ok((modules, link)) => {
            *qr.shown.0.entry(target.kind_name().to_string()).or_default() += 1;
            let ppm = modules.pixels_per_module((TARGET_SIDE_AT_1080P * ui_scale) as u32);
            let pixels = modules.to_image(ppm);
            let rgba: Vec<u8> = pixels.luma.iter().flat_map(|&v| [v, v, v, 255]).collect();
            let mut image = Image::new(
                Extent3d { width: pixels.side, height: pixels.side, depth_or_array_layers: 1 },
                TextureDimension::D2,
                rgba,
                TextureFormat::Rgba8UnormSrgb,
                RenderAssetUsages::RENDER_WORLD,
            );
            image.sampler = ImageSampler::nearest();
            let side = pixels.side as f32 / ui_scale;
            commands.spawn((
                ChildOf(card),
                HandoffQr(link),
                ImageNode::new(qr.images.add(image)),
                Node { width: px(side), height: px(side), flex_shrink: 0.0, ..default() },
            ));
        }
        Err(problem) => {
            warn!("no QR code for {target:?}: {problem}");
            commands.spawn((ChildOf(card), label("二维码暂不可用", ui, theme.body(), Color::BLACK, true)));
        }
    }
    commands.spawn((ChildOf(card), paragraph(caption, ui, theme.body(), Color::BLACK))).insert(Node { width: percent(100), ..default() });
    card
}
