//! A small safe binding to Zinnia, the offline handwriting recogniser, loaded at run time
//! (`libzinnia.so.0`, Debian's `libzinnia0v5`) so that a kiosk without it still runs and
//! simply offers no 手写 pad.

use std::{
    ffi::{CStr, CString, c_char, c_float, c_int, c_void},
    path::Path,
};

use libloading::Library;

const LIBRARY: &str = "libzinnia.so.0";

type Recognizer = *mut c_void;
type Character = *mut c_void;
type ResultList = *mut c_void;

/// The library's functions this module calls, looked up once.
struct Api {
    recognizer_new: unsafe extern "C" fn() -> Recognizer,
    recognizer_destroy: unsafe extern "C" fn(Recognizer),
    recognizer_open: unsafe extern "C" fn(Recognizer, *const c_char) -> c_int,
    recognizer_strerror: unsafe extern "C" fn(Recognizer) -> *const c_char,
    recognizer_classify: unsafe extern "C" fn(Recognizer, Character, usize) -> ResultList,
    character_new: unsafe extern "C" fn() -> Character,
    character_destroy: unsafe extern "C" fn(Character),
    character_set_width: unsafe extern "C" fn(Character, usize),
    character_set_height: unsafe extern "C" fn(Character, usize),
    character_add: unsafe extern "C" fn(Character, usize, c_int, c_int) -> c_int,
    result_value: unsafe extern "C" fn(ResultList, usize) -> *const c_char,
    result_score: unsafe extern "C" fn(ResultList, usize) -> c_float,
    result_size: unsafe extern "C" fn(ResultList) -> usize,
    result_destroy: unsafe extern "C" fn(ResultList),
}

/// A recogniser with its model open.
pub struct Zinnia {
    api: Api,
    recognizer: Recognizer,
    // Keeps the code behind `api` loaded; dropped last.
    _library: Library,
}

// The recogniser is only used through `&self` calls that Zinnia documents as read-only on an
// open model, and the pointer may move between threads.
unsafe impl Send for Zinnia {}
unsafe impl Sync for Zinnia {}

impl Zinnia {
    pub fn open(model: &Path) -> Result<Self, String> {
        // SAFETY: loading a system library runs its initialisers; libzinnia has none that
        // matter to this process.
        let library = unsafe { Library::new(LIBRARY) }.map_err(|e| format!("{LIBRARY}: {e}"))?;
        let api = Api::load(&library).map_err(|e| format!("{LIBRARY}: {e}"))?;
        let path = CString::new(model.as_os_str().as_encoded_bytes()).map_err(|_| "model path holds a NUL".to_string())?;
        // SAFETY: the functions come from the library with their documented signatures;
        // the recognizer is destroyed on every path that does not keep it.
        unsafe {
            let recognizer = (api.recognizer_new)();
            if recognizer.is_null() {
                return Err("zinnia_recognizer_new failed".into());
            }
            if (api.recognizer_open)(recognizer, path.as_ptr()) == 0 {
                let reason = CStr::from_ptr((api.recognizer_strerror)(recognizer)).to_string_lossy().into_owned();
                (api.recognizer_destroy)(recognizer);
                return Err(format!("{}: {reason}", model.display()));
            }
            Ok(Zinnia { api, recognizer, _library: library })
        }
    }

    /// The best `n` characters for these strokes on a `width` × `height` canvas, best first,
    /// with Zinnia's scores.
    pub fn classify(&self, width: usize, height: usize, strokes: &[Vec<(i32, i32)>], n: usize) -> Vec<(String, f32)> {
        let api = &self.api;
        // SAFETY: `character` and `result` are created and destroyed here; `result_value`
        // returns strings owned by `result`, copied before it is destroyed.
        unsafe {
            let character = (api.character_new)();
            if character.is_null() {
                return Vec::new();
            }
            (api.character_set_width)(character, width);
            (api.character_set_height)(character, height);
            for (id, stroke) in strokes.iter().enumerate() {
                for (x, y) in stroke {
                    (api.character_add)(character, id, *x, *y);
                }
            }
            let result = (api.recognizer_classify)(self.recognizer, character, n);
            let mut candidates = Vec::new();
            if !result.is_null() {
                for i in 0..(api.result_size)(result) {
                    let value = (api.result_value)(result, i);
                    if !value.is_null() {
                        candidates.push((CStr::from_ptr(value).to_string_lossy().into_owned(), (api.result_score)(result, i)));
                    }
                }
                (api.result_destroy)(result);
            }
            (api.character_destroy)(character);
            candidates
        }
    }
}

impl Drop for Zinnia {
    fn drop(&mut self) {
        // SAFETY: created in `open`, destroyed once, before the library is unloaded.
        unsafe { (self.api.recognizer_destroy)(self.recognizer) }
    }
}

impl Api {
    fn load(library: &Library) -> Result<Api, libloading::Error> {
        // SAFETY: each symbol is given the signature zinnia.h declares for it.
        unsafe {
            Ok(Api {
                recognizer_new: *library.get(b"zinnia_recognizer_new\0")?,
                recognizer_destroy: *library.get(b"zinnia_recognizer_destroy\0")?,
                recognizer_open: *library.get(b"zinnia_recognizer_open\0")?,
                recognizer_strerror: *library.get(b"zinnia_recognizer_strerror\0")?,
                recognizer_classify: *library.get(b"zinnia_recognizer_classify\0")?,
                character_new: *library.get(b"zinnia_character_new\0")?,
                character_destroy: *library.get(b"zinnia_character_destroy\0")?,
                character_set_width: *library.get(b"zinnia_character_set_width\0")?,
                character_set_height: *library.get(b"zinnia_character_set_height\0")?,
                character_add: *library.get(b"zinnia_character_add\0")?,
                result_value: *library.get(b"zinnia_result_value\0")?,
                result_score: *library.get(b"zinnia_result_score\0")?,
                result_size: *library.get(b"zinnia_result_size\0")?,
                result_destroy: *library.get(b"zinnia_result_destroy\0")?,
            })
        }
    }
}
