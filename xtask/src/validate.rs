//! `cargo xtask validate`: every problem in the protocols folder, for content editors.

use crate::Args;

pub fn run(args: &Args) -> Result<(), String> {
    let only = args.rest.first().map(String::as_str);
    let lib = match handbook_content::load(&args.protocols, only) {
        Ok(lib) => lib,
        Err(errors) => {
            for e in &errors {
                println!("{e}");
            }
            return Err(format!(
                "{} problem{} in the protocols folder",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            ));
        }
    };
    crate::build::holidays_warning(&lib);
    let report = handbook_content::report::Report::of(&lib);
    print!("{}", report.text());
    if report.ok() {
        println!("all checks passed");
        Ok(())
    } else {
        Err("some checks above failed".to_string())
    }
}
