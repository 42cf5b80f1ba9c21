use std::fmt;

/// One thing wrong with a bundle, printed as `FILE: PLACE: reason`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Path of the file relative to the bundle root.
    pub file: String,
    pub place: Place,
    pub reason: String,
}

/// Where in the file the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The file as a whole: missing, unlisted, wrong hash, undecodable image.
    WholeFile,
    /// A JSON path such as `$[3].title` (`$` is the file's root value).
    Json(String),
    /// JSON that does not parse, at 1-based line and column.
    LineColumn(usize, usize),
}

impl Problem {
    pub fn whole(file: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { file: file.into(), place: Place::WholeFile, reason: reason.into() }
    }

    pub fn at(file: impl Into<String>, path: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { file: file.into(), place: Place::Json(path.into()), reason: reason.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Place::WholeFile => write!(f, "{}: -: {}", self.file, self.reason),
            Place::Json(path) => write!(f, "{}: {}: {}", self.file, path, self.reason),
            Place::LineColumn(line, column) => {
                write!(f, "{}:{}:{}: {}", self.file, line, column, self.reason)
            }
        }
    }
}

/// Problems found so far, in the order found.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    pub fn at(&mut self, file: &str, path: impl Into<String>, reason: impl Into<String>) {
        self.0.push(Problem::at(file, path, reason));
    }

    pub fn whole(&mut self, file: &str, reason: impl Into<String>) {
        self.0.push(Problem::whole(file, reason));
    }
}
