//! `gongkai content …`

use std::{path::Path, process::ExitCode};

use chrono::{NaiveDateTime, Utc};

use super::ContentCommand;
use gongkai_core::{
    content::{
        build::{BuildOptions, build_bundle},
        check::{CheckOptions, Checked, Counts, Problem, verify_bundle},
        manifest::Manifest,
        synth::{self, SynthOptions},
    },
    signing,
};

pub fn run(command: ContentCommand) -> ExitCode {
    match command {
        ContentCommand::Build { src, out, bundle_version, now, key } => {
            let key = match key.as_deref().map(signing::read_signing_key).transpose() {
                Ok(key) => key,
                Err(e) => return fail(&e),
            };
            let options = BuildOptions { bundle_version, created_at: Utc::now(), check: options_at(now) };
            match build_bundle(&src, &out, &options) {
                Ok(checked) if checked.is_clean() => match key.map(|key| signing::sign_bundle(&out, &key)).transpose() {
                    Ok(_) => report_checked(&out, &checked),
                    Err(e) => fail(&e),
                },
                Ok(checked) => report_checked(&out, &checked),
                Err(e) => fail(&e),
            }
        }
        ContentCommand::Keygen { prefix } => match signing::generate_key_pair(&prefix) {
            Ok((secret, public)) => {
                println!("{}", std::fs::read_to_string(&public).unwrap_or_default().trim());
                eprintln!("wrote {} (keep it secret) and {} (for kiosk configs)", secret.display(), public.display());
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        ContentCommand::Sign { dir, key } => {
            match signing::read_signing_key(&key).and_then(|key| signing::sign_bundle(&dir, &key)) {
                Ok(()) => {
                    eprintln!("{}: signed", dir.display());
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        ContentCommand::Check { dir, now } => {
            let verified = verify_bundle(&dir, &options_at(now), None);
            report(&dir, &verified.problems, verified.manifest.as_ref(), verified.counts)
        }
        ContentCommand::Synth { documents, out, seed } => {
            if let Err(e) = synth::write_content(&out, &SynthOptions { documents, seed }) {
                return fail(&e);
            }
            let options = BuildOptions { bundle_version: None, created_at: Utc::now(), check: options_at(None) };
            match build_bundle(&out, &out, &options) {
                Ok(checked) => report_checked(&out, &checked),
                Err(e) => fail(&e),
            }
        }
    }
}

fn options_at(now: Option<NaiveDateTime>) -> CheckOptions {
    now.map_or_else(CheckOptions::at_local_now, |now| CheckOptions { now })
}

fn report_checked(dir: &Path, checked: &Checked) -> ExitCode {
    report(dir, &checked.problems, checked.manifest.as_ref(), Counts::of(&checked.content))
}

/// Problems on stdout, one a line (for scripts); the summary on stderr.
fn report(dir: &Path, problems: &[Problem], manifest: Option<&Manifest>, counts: Counts) -> ExitCode {
    for problem in problems {
        println!("{problem}");
    }
    if problems.is_empty() {
        eprintln!(
            "{}: ok — bundle version {}, {} documents, {} 解读, {} 办事指南, {} 重点工作",
            dir.display(),
            manifest.map_or(0, |m| m.bundle_version),
            counts.documents,
            counts.interpretations,
            counts.service_guides,
            counts.key_work,
        );
        ExitCode::SUCCESS
    } else {
        eprintln!("{}: {} problem(s); nothing was accepted", dir.display(), problems.len());
        ExitCode::FAILURE
    }
}

fn fail(error: &impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {error:#}");
    ExitCode::from(2)
}
