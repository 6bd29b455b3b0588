//! Benchmark corpus generator (issue 7).
//!
//! ```text
//! cargo run --release --example corpus -- --statements N --out DIR [--hugo DIR]
//! ```
//!
//! Writes a valid guidepress publication with N quality statements and 7·N recommendations into
//! `--out`, and (with `--hugo`) the same publication as a Hugo site whose templates do equivalent
//! work and write the same number of HTML pages. Both are made from one in-memory model, so the
//! texts are identical.
//!
//! The sizes are modelled on the sample publication in `content/` (12 statements, 26
//! recommendations, 24 register entries, 40 glossary terms); `benches/README.md` lists the
//! measured sizes next to the generated ones. Statements come in standards of 12, like the sample:
//! related statements and source recommendations stay inside a standard, and the 84
//! recommendations of a standard are its own. The register grows with the library (24 + N/8
//! entries) and so does the glossary (40 + N/16 terms).
//!
//! The output is a pure function of N: a SplitMix64 generator seeded from N, no clock, no hash
//! map iteration order.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The theme's picture list, read at compile time so the corpus only names pictures that exist.
const PICTURES_YAML: &str = include_str!("../themes/default/pictures/pictures.yaml");
/// The theme folder, for copying the stylesheet and pictures into the Hugo site.
const THEME_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default");

/// Statements per standard (the sample is one standard of 12).
const STANDARD: usize = 12;
/// Recommendations per statement.
const RECS_PER_STATEMENT: usize = 7;
/// Easy-read sentences: at most this many words (the easy-read linter's limit).
const EASY_MAX_WORDS: usize = 12;
/// Pocket headlines: at most this many words (guidepress refuses more than 25).
const HEADLINE_MAX_WORDS: usize = 24;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("corpus: {message}");
            eprintln!("usage: cargo run --release --example corpus -- --statements N --out DIR [--hugo DIR]");
            ExitCode::from(2)
        }
    }
}

struct Args {
    statements: usize,
    out: Option<PathBuf>,
    hugo: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut statements = None;
    let mut out = None;
    let mut hugo = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (arg.clone(), None),
        };
        let mut value = || inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{name} needs a value"));
        match name.as_str() {
            "--statements" | "-n" => {
                let v = value()?;
                statements =
                    Some(v.parse::<usize>().map_err(|_| format!("--statements expects a whole number, not `{v}`"))?);
            }
            "--out" => out = Some(PathBuf::from(value()?)),
            "--hugo" => hugo = Some(PathBuf::from(value()?)),
            "--help" | "-h" => return Err("help".to_string()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let statements = statements.ok_or("--statements N is required")?;
    if statements == 0 {
        return Err("--statements must be at least 1".to_string());
    }
    if out.is_none() && hugo.is_none() {
        return Err("give --out DIR (guidepress) and/or --hugo DIR (Hugo)".to_string());
    }
    Ok(Args { statements, out, hugo })
}

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let corpus = generate(args.statements);
    check_easy_read(&corpus)?;
    if let Some(out) = &args.out {
        prepare(out)?;
        write_guidepress(&corpus, out).map_err(|e| format!("writing {}: {e}", out.display()))?;
        eprintln!(
            "corpus: wrote {} statements, {} recommendations, {} register entries, {} glossary terms to {} ({} HTML pages expected)",
            corpus.statements.len(),
            corpus.recs.len(),
            corpus.instruments.len(),
            corpus.terms.len(),
            out.display(),
            corpus.expected_pages()
        );
    }
    if let Some(hugo) = &args.hugo {
        prepare(hugo)?;
        write_hugo(&corpus, hugo).map_err(|e| format!("writing {}: {e}", hugo.display()))?;
        eprintln!(
            "corpus: wrote the equivalent Hugo site to {} ({} HTML pages expected)",
            hugo.display(),
            corpus.expected_pages()
        );
    }
    Ok(())
}

/// Refuses to write into a non-empty folder unless it holds an earlier corpus.
fn prepare(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let marker = dir.join(".corpus");
        let empty = fs::read_dir(dir).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty && !marker.exists() {
            return Err(format!("{} is not empty and was not written by this generator", dir.display()));
        }
        fs::remove_dir_all(dir).map_err(|e| format!("removing {}: {e}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    fs::write(dir.join(".corpus"), "written by examples/corpus.rs\n").map_err(|e| e.to_string())
}

// ---------------------------------------------------------------------------------------------
// Randomness

/// SplitMix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 11) as u128 * n as u128) >> 53) as usize
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
    /// A count drawn from weights: `weights[i]` is the weight of `lo + i`.
    fn weighted(&mut self, lo: usize, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return lo + i;
            }
            x -= w;
        }
        lo + weights.len() - 1
    }
}

// ---------------------------------------------------------------------------------------------
// The model

struct Statement {
    id: String,
    number: usize,
    slug: String,
    title: String,
    statement: String,
    headline: String,
    plain: String,
    /// commissioners, providers, carers, young_people (Markdown).
    audiences: [String; 4],
    who_to_ask: String,
    structure: Vec<Measure>,
    process: Vec<Measure>,
    outcome: Vec<Measure>,
    easy_read: Vec<Block>,
    recommendations: Vec<usize>,
    cites: Vec<Cite>,
    related: Vec<usize>,
    /// Markdown paragraphs.
    rationale: String,
}

struct Measure {
    text: String,
    numerator: Option<String>,
    denominator: Option<String>,
    data_source: String,
}

struct Block {
    picture: String,
    alt: String,
    sentences: Vec<String>,
}

#[derive(Clone, PartialEq, Eq)]
struct Cite {
    instrument: usize,
    pinpoint: Option<usize>,
}

struct Rec {
    id: String,
    number: usize,
    slug: String,
    title: String,
    topic: String,
    who: Vec<String>,
    cites: Vec<Cite>,
    body: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Act,
    Regulations,
    StatutoryGuidance,
    Guidance,
    Standards,
}

impl Kind {
    fn yaml(self) -> &'static str {
        match self {
            Kind::Act => "act",
            Kind::Regulations => "regulations",
            Kind::StatutoryGuidance => "statutory-guidance",
            Kind::Guidance => "guidance",
            Kind::Standards => "standards",
        }
    }
    /// The heading guidepress gives this kind on the law index.
    fn label(self) -> &'static str {
        match self {
            Kind::Act => "Acts of Parliament",
            Kind::Regulations => "Regulations",
            Kind::StatutoryGuidance => "Statutory guidance",
            Kind::Standards => "Standards",
            Kind::Guidance => "Other guidance",
        }
    }
}

struct Instrument {
    id: String,
    title: String,
    kind: Kind,
    year: usize,
    publisher: &'static str,
    superseded_by: Option<usize>,
    url: String,
    summary: String,
    easy_read: String,
    carer: bool,
    pinpoints: Vec<Pinpoint>,
}

struct Pinpoint {
    key: String,
    label: String,
    title: Option<String>,
    url: Option<String>,
}

struct Term {
    id: String,
    term: String,
    abbreviations: Vec<String>,
    definition: String,
    easy_read: String,
}

struct Corpus {
    n: usize,
    statements: Vec<Statement>,
    recs: Vec<Rec>,
    instruments: Vec<Instrument>,
    terms: Vec<Term>,
    pictures: Vec<(String, String)>,
}

impl Corpus {
    /// HTML pages guidepress writes: the landing page; per edition an index, the statements, a
    /// law index, a page per register entry and a glossary; the commissioner edition also has a
    /// recommendations index and a page per recommendation.
    fn expected_pages(&self) -> usize {
        1 + 4 * (1 + self.statements.len() + 1 + self.instruments.len() + 1) + 1 + self.recs.len()
    }

    fn cite_text(&self, cite: &Cite) -> String {
        let instrument = &self.instruments[cite.instrument];
        match cite.pinpoint {
            Some(p) => format!("{} {}", instrument.id, instrument.pinpoints[p].key),
            None => instrument.id.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Word lists. Domain words from the sample publication (children and young people in care).

const GROUPS: &[&str] = &[
    "Looked-after children and young people",
    "Children and young people in care",
    "Looked-after children and young people, and young people who are covered by leaving care arrangements,",
    "Care leavers",
    "Young people leaving care",
    "Children in care and care leavers",
    "Looked-after children and young people placed out of area",
    "Disabled children and young people in care",
    "Looked-after babies and young children",
    "Unaccompanied children and young people seeking asylum",
];

const STATEMENT_PREDICATES: &[&str] = &[
    "have a named health professional who coordinates their health care",
    "are supported to take part in decisions about their care",
    "have ongoing access to their complete health history",
    "live in placements that meet their assessed needs and that they have helped to choose",
    "are supported to keep in touch with their brothers and sisters, family and friends",
    "receive services that continue when they move placement or leave care",
    "have high aspirations set for them by the people who care for them",
    "are able to leave care at a pace that suits them",
    "take part in creative, cultural and physical activities that they enjoy",
    "receive care from carers who are trained, supported and supervised",
    "have a personal education plan that is reviewed at least every 6 months",
    "are offered a review health assessment at least once a year",
    "have stable relationships with the professionals who work with them",
    "receive timely help from mental health services when they need it",
];

const QUALIFIERS: &[&str] = &[
    "for every child in care",
    "before a placement starts",
    "within 20 working days",
    "when a young person moves",
    "at every review",
    "with the young person's consent",
    "in a way that suits the child's age and understanding",
    "across health, education and social care",
    "so that nothing is lost between services",
    "as early as possible",
    "in partnership with the child's family",
    "until the young person is 25",
    "in line with the statutory guidance",
    "and record what was agreed",
    "wherever the child is placed",
];

const ACTORS: &[&str] = &[
    "Local authorities",
    "Commissioners",
    "Health and wellbeing boards",
    "Integrated care boards",
    "Children's services",
    "Fostering services",
    "Providers of residential care",
    "Social workers and their managers",
    "Independent reviewing officers",
    "Designated doctors and nurses",
    "Looked-after children's nurses",
    "Virtual school heads",
    "Designated teachers",
    "Personal advisers",
    "Leaving care teams",
    "Directors of children's services",
    "Supervising social workers",
    "Service managers",
];

const VERBS: &[&str] = &[
    "make sure there is",
    "agree",
    "put in place",
    "review",
    "record",
    "plan",
    "commission",
    "monitor",
    "share",
    "offer",
    "provide",
    "keep up to date",
    "explain",
    "check",
];

const OBJECTS: &[&str] = &[
    "a clear local process for passing on health records",
    "the health assessment of each child",
    "a written care plan",
    "placement decisions",
    "the child's views and wishes",
    "support for carers",
    "information about the child's health",
    "access to specialist services",
    "training for foster carers and residential staff",
    "a named contact for every young person",
    "arrangements for contact with brothers and sisters",
    "a pathway plan for every care leaver",
    "the personal education plan",
    "regular reviews of the placement",
    "advice on housing, money and work",
    "services for children placed out of area",
    "a health summary for every young person leaving care",
    "the arrangements for staying put",
    "independent advocacy",
    "support to take part in activities",
];

const FINDINGS: &[&str] = &[
    "that records were often lost when children moved",
    "delays in health assessments for children placed out of area",
    "that young people wanted to be asked, not told",
    "that carers were not always given enough information",
    "good practice where services worked closely together",
    "that brothers and sisters were too often placed apart",
    "that young people valued a worker who knew them well",
    "that care leavers felt unprepared for living on their own",
    "that reviews were sometimes held without the young person",
    "long waits for mental health services",
];

const REASONS: &[&str] = &[
    "stable relationships help children feel safe",
    "children in care have poorer health than other children",
    "young people do better when they are involved in decisions",
    "carers need support to give good care",
    "moving placement disrupts school and friendships",
    "care leavers often lose support at 18",
    "early help prevents problems from growing",
    "a young person's own account of their needs is often the most accurate",
];

const CARER_SENTENCES: &[&str] = &[
    "When a child arrives, you should be told what you need to care for them safely",
    "Keep their red book or health records safe and pass them on if they move",
    "Ask the social worker or the looked-after children's nurse for help with difficult questions",
    "Talk with the child about what they enjoy and what worries them",
    "You can ask for training on caring for children who have experienced trauma",
    "Your supervising social worker should visit you regularly and listen to your views",
    "Keep a record of important events, such as appointments and achievements",
    "Help the young person get ready for reviews and tell them what will happen",
    "You should be invited to meetings about the child and your views should be heard",
    "Keep what you know about their birth family confidential",
    "Encourage the young person to keep in touch with the people who matter to them",
];

const YOUNG_SENTENCES: &[&str] = &[
    "You can ask about this at any time",
    "Someone who knows you will explain it and help with anything that worries you",
    "You should be asked what you think before decisions are made",
    "You can have an advocate to help you say what you want",
    "Your carer and your social worker should work together to help you",
    "When you leave care, you should get a written summary to keep",
    "You can take part in activities that you enjoy",
    "You can keep in touch with your brothers and sisters",
    "If you move, your records should move with you",
];

const TITLE_HEADS: &[&str] = &[
    "Health",
    "Education",
    "Placement",
    "Identity",
    "Contact",
    "Care planning",
    "Leaving care",
    "Mental health",
    "Activities",
    "Carer",
    "Transition",
    "Advocacy",
    "Housing",
    "Sibling",
    "Review",
    "Wellbeing",
];
const TITLE_TAILS: &[&str] = &[
    "history",
    "support",
    "stability",
    "reviews",
    "planning",
    "choice",
    "records",
    "advice",
    "assessments",
    "and relationships",
    "at own pace",
    "in decisions",
    "and continuity of services",
    "training and support",
];

const TOPICS: &[&str] = &[
    "Care planning",
    "Education",
    "Foster care",
    "Health",
    "Leaving care",
    "Placements",
    "Quality of life and identity",
    "Siblings",
    "Strategy, commissioning and coordination",
    "Mental health and emotional wellbeing",
    "Residential care",
    "Kinship care",
    "Advocacy and participation",
    "Training and supervision",
    "Transitions to adult services",
    "Disabled children",
    "Children placed out of area",
    "Unaccompanied children seeking asylum",
    "Housing and accommodation",
    "Employment and training",
    "Substance misuse",
    "Sexual health and relationships",
    "Youth justice",
    "Early years",
];

const WHO: &[&str] = &[
    "Directors of children's services",
    "Social workers and their managers",
    "Independent reviewing officers",
    "Commissioners",
    "Foster carers",
    "Designated doctors and nurses",
    "Virtual school heads",
    "Personal advisers",
    "Residential care staff",
    "Health and wellbeing boards",
    "GPs",
    "Supervising social workers",
    "Designated teachers",
    "Child and adolescent mental health services",
];

const REC_TITLE_VERBS: &[&str] = &[
    "Implementing",
    "Supporting",
    "Planning",
    "Commissioning",
    "Reviewing",
    "Improving",
    "Coordinating",
    "Sharing",
    "Prioritising",
    "Training for",
];

// Easy read: plain words, digits for numbers, no abbreviations.
const ER_PEOPLE: &[&str] = &[
    "social worker",
    "foster carer",
    "personal adviser",
    "teacher",
    "nurse",
    "doctor",
    "carer",
    "independent reviewing officer",
    "advocate",
    "supervising social worker",
];
const ER_TOPICS: &[&str] = &[
    "where you live",
    "your school",
    "your health",
    "your care plan",
    "seeing your family",
    "your money",
    "your future",
    "your pathway plan",
    "your health history",
    "things you enjoy",
];
const ER_FEELINGS: &[&str] = &["worried", "sad", "angry", "happy", "lonely", "scared"];

const BASE_TERMS: &[(&str, &str, &[&str], &str, &str)] = &[
    ("social-worker", "Social worker", &["SW"], "A qualified professional employed by the council who is responsible for a child's care plan and visits them regularly.", "A social worker helps you. They check that you are safe."),
    ("foster-carer", "Foster carer", &[], "A person approved by a fostering service to look after children in care in their own home.", "A foster carer looks after children in care in their own home."),
    ("care-leaver", "Care leaver", &["CL"], "A young person who has been in care and has left it, and who is entitled to support from the council up to age 25.", "A care leaver is a young person who has left care."),
    ("personal-adviser", "Personal adviser", &["PA"], "A worker who helps a care leaver plan their future and keeps in touch with them up to age 25.", "A personal adviser helps you when you leave care."),
    ("independent-reviewing-officer", "Independent reviewing officer", &["IRO"], "A social worker who chairs reviews of a child's care plan and makes sure the child's views are heard.", "This person runs your meetings. They make sure people listen to you."),
    ("care-plan", "Care plan", &[], "The written plan for a child in care: where they live, their health, education and contact with family.", "Your care plan says how people will look after you."),
    ("pathway-plan", "Pathway plan", &[], "A plan for a young person leaving care, covering housing, money, education, work and health.", "Your pathway plan says what help you get when you leave care."),
    ("health-history", "Health history", &[], "What is known about a person's health since birth, including illnesses, treatment and family health.", "Your health history is what is known about your health."),
    ("health-assessment", "Health assessment", &["IHA", "RHA"], "A check of a child's physical, emotional and mental health when they come into care and regularly after that.", "A nurse or doctor checks how you are."),
    ("advocate", "Advocate", &[], "An independent person who helps a child or young person say what they want and makes sure they are heard.", "An advocate helps you say what you want."),
    ("supervising-social-worker", "Supervising social worker", &[], "A social worker from the fostering service who supports and supervises a foster carer.", "This person helps your foster carer."),
    ("personal-education-plan", "Personal education plan", &["PEP"], "The part of a care plan about a child's education, reviewed each term with their school.", "This plan says how your school will help you."),
    ("virtual-school-head", "Virtual school head", &["VSH"], "The council officer who makes sure children in care get a good education.", "This person helps children in care do well at school."),
    ("designated-teacher", "Designated teacher", &["DT"], "A teacher in each school who makes sure children in care get the support they need.", "A teacher at your school who helps children in care."),
    ("camhs", "Child and adolescent mental health services", &["CAMHS"], "NHS services that assess and treat young people with emotional, behavioural or mental health difficulties.", "People who help children and young people with their feelings."),
    ("review-meeting", "Review meeting", &[], "A meeting held regularly to check that a child's care plan is working and to change it if needed.", "A meeting to check your care plan is working."),
    ("placement", "Placement", &[], "Where a child in care lives: with foster carers, with family or friends, or in a children's home.", "Your placement is where you live."),
    ("staying-put", "Staying put", &[], "An arrangement that lets a young person stay with their former foster carers after 18.", "You can stay with your foster carer after you are 18."),
    ("life-story-work", "Life story work", &[], "Work with a child to help them understand their history, often using photographs and a book.", "Life story work helps you know about your past."),
    ("corporate-parent", "Corporate parent", &[], "The council and its partners, who share the duties of a good parent towards every child in care.", "The council acts like a parent for children in care."),
    ("independent-visitor", "Independent visitor", &[], "A volunteer who visits and befriends a child in care who has little contact with their family.", "A person who visits you and becomes your friend."),
    ("kinship-carer", "Kinship carer", &[], "A relative or friend who looks after a child who cannot live with their parents.", "A person from your family who looks after you."),
    ("childrens-home", "Children's home", &[], "A home where a team of staff look after children in care.", "A house where staff look after children."),
    ("placement-plan", "Placement plan", &[], "A plan that says how a placement will meet a child's needs.", "A plan about where you live."),
    ("health-plan", "Health plan", &[], "The part of the care plan that says how a child's health needs will be met.", "A plan about your health."),
    ("red-book", "Personal child health record", &[], "A record of a child's health, growth and vaccinations, often called the red book.", "A book about your health when you were small."),
    ("multi-agency-working", "Multi-agency working", &[], "Services such as health, education and social care working together around a child.", "Different people working together to help you."),
    ("parental-responsibility", "Parental responsibility", &[], "The legal rights and duties a parent has for a child.", "The right to make choices for a child."),
    ("local-authority", "Local authority", &["LA"], "The council, which has legal duties towards children in care and care leavers.", "The council for the place where you live."),
    ("commissioner", "Commissioner", &[], "A person or body that plans and pays for services.", "A person who plans and pays for help."),
    ("provider", "Provider", &[], "An organisation that delivers a service, such as a fostering agency or a health trust.", "A group that gives you help."),
    ("integrated-care-board", "Integrated care board", &["ICB"], "The NHS body that plans and pays for health services in an area.", "The group that plans health care where you live."),
    ("ofsted", "Office for Standards in Education, Children's Services and Skills", &["Ofsted"], "The body that inspects children's services, schools and children's homes in England.", "The group that checks schools and children's homes."),
    ("national-minimum-standards", "National minimum standards", &["NMS"], "Standards that fostering services and children's homes must meet.", "Rules that say how good care must be."),
    ("independent-fostering-agency", "Independent fostering agency", &["IFA"], "A fostering service that is not run by the council.", "A group that finds foster carers."),
    ("sufficiency-duty", "Sufficiency duty", &[], "The council's duty to have enough suitable places for children in care to live.", "The council must have enough homes for children in care."),
    ("local-offer", "Local offer for care leavers", &[], "What a council publishes about the support it gives care leavers.", "A list of help you can get when you leave care."),
    ("looked-after-childrens-nurse", "Looked-after children's nurse", &[], "A nurse who specialises in the health of children in care.", "A nurse who helps children in care stay healthy."),
    ("gp", "General practitioner", &["GP"], "A family doctor who looks after a person's general health.", "Your doctor."),
    ("staying-close", "Staying close support", &[], "Support for young people leaving children's homes to live near the home and keep in touch.", "Help to live near your old home when you leave care."),
];

const TERM_HEADS: &[&str] = &[
    "placement",
    "health",
    "education",
    "contact",
    "review",
    "transition",
    "advocacy",
    "housing",
    "wellbeing",
    "leaving care",
    "kinship",
    "residential",
    "emergency",
    "respite",
    "therapeutic",
    "family",
    "permanence",
    "disability",
    "youth",
    "school",
];
const TERM_TAILS: &[&str] = &[
    "plan",
    "panel",
    "meeting",
    "assessment",
    "agreement",
    "allowance",
    "register",
    "review",
    "team",
    "worker",
    "service",
    "report",
    "order",
    "grant",
    "passport",
    "record",
    "officer",
    "network",
    "protocol",
    "forum",
];

const SUBJECTS: &[&str] = &[
    "Children",
    "Children and Families",
    "Children and Young Persons",
    "Care Planning, Placement and Case Review",
    "Fostering Services",
    "Children's Homes",
    "Care Leavers",
    "Adoption and Children",
    "Health and Social Care",
    "Mental Health",
    "Education",
    "Special Educational Needs",
    "Housing",
    "Equality",
    "Mental Capacity",
    "Family Support",
    "Kinship Care",
    "Short Breaks",
    "Independent Reviewing Officers",
    "Virtual School Heads",
    "Sufficiency",
    "Advocacy Services",
    "Youth Justice",
    "Safeguarding Children",
    "Corporate Parenting",
    "Leaving Care",
    "Placement Stability",
    "Private Fostering",
    "Residential Care",
    "Disabled Children",
    "Unaccompanied Children",
    "Missing Children",
    "Secure Accommodation",
    "Personal Advisers",
    "Staying Put",
    "Health Assessments",
    "Promoting the Health of Looked-after Children",
    "Care Standards",
    "Child Poverty",
    "Social Work",
];

const SECTION_TITLES: &[&str] = &[
    "General duty of local authority in relation to children looked after by them",
    "Provision of accommodation for children",
    "Review of cases",
    "Pathway plans",
    "Personal advisers",
    "Duty to promote educational achievement",
    "Arrangements for health care",
    "Contact with parents and others",
    "Visits by a representative of the local authority",
    "Independent reviewing officers",
    "Placement with local authority foster parents",
    "Duty to consult the child",
];

// ---------------------------------------------------------------------------------------------
// Text

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

fn cap(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// One sentence of formal guidance prose.
fn formal_sentence(rng: &mut Rng) -> String {
    match rng.below(6) {
        0 | 1 => {
            format!("{} should {} {} {}.", rng.pick(ACTORS), rng.pick(VERBS), rng.pick(OBJECTS), rng.pick(QUALIFIERS))
        }
        2 => format!(
            "{} and {} should agree {} {}.",
            rng.pick(ACTORS),
            lower_first(rng.pick(ACTORS)),
            rng.pick(OBJECTS),
            rng.pick(QUALIFIERS)
        ),
        3 => format!("Participants in the field testing reported {}.", rng.pick(FINDINGS)),
        4 => format!("This matters because {}.", rng.pick(REASONS)),
        _ => format!(
            "{} should be reviewed {}, and {} {}.",
            cap(rng.pick(OBJECTS)),
            rng.pick(QUALIFIERS),
            rng.pick(VERBS),
            rng.pick(OBJECTS)
        ),
    }
}

/// Sentences from `make` until the text has about `target` words.
fn prose(rng: &mut Rng, target: usize, make: fn(&mut Rng) -> String) -> String {
    let mut text = String::new();
    while words(&text) < target {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(&make(rng));
    }
    text
}

fn carer_sentence(rng: &mut Rng) -> String {
    format!("{}.", rng.pick(CARER_SENTENCES))
}

fn young_sentence(rng: &mut Rng) -> String {
    format!("{}.", rng.pick(YOUNG_SENTENCES))
}

/// About `target` words around the sample's mean, ±20%.
fn around(rng: &mut Rng, mean: usize) -> usize {
    let spread = mean / 5;
    rng.range(mean - spread, mean + spread)
}

fn paragraphs(rng: &mut Rng, total: usize, count: usize) -> String {
    let mut out = Vec::new();
    for _ in 0..count {
        out.push(prose(rng, total / count, formal_sentence));
    }
    out.join("\n\n")
}

/// An easy-read sentence: at most 12 words, plain words, digits for numbers.
fn easy_sentence(rng: &mut Rng) -> String {
    loop {
        let person = rng.pick(ER_PEOPLE);
        let topic = rng.pick(ER_TOPICS);
        let sentence = match rng.below(14) {
            0 => format!("You can ask your {person} for help."),
            1 => format!("Your {person} will listen to you."),
            2 => format!("You can say what you think about {topic}."),
            3 => format!("Your {person} will explain {topic} to you."),
            4 => format!("You can have a say in {topic}."),
            5 => "This is your right.".to_string(),
            6 => "You can take your time.".to_string(),
            7 => "Your care plan says what help you will get.".to_string(),
            8 => "You can ask to see it at any time.".to_string(),
            9 => "You can get help until you are 25.".to_string(),
            10 => format!("Your {person} should see you every {} weeks.", rng.range(2, 8)),
            11 => format!("You can bring a friend when you talk about {topic}."),
            12 => format!("It is fine to feel {}.", rng.pick(ER_FEELINGS)),
            _ => format!("Tell your {person} if something is wrong."),
        };
        if words(&sentence) <= EASY_MAX_WORDS {
            return sentence;
        }
    }
}

fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '’' {
            continue;
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

// ---------------------------------------------------------------------------------------------
// Generation

fn generate(n: usize) -> Corpus {
    let mut rng = Rng::new(n as u64);
    let pictures = parse_pictures();
    let instruments = generate_register(&mut rng, 24 + n / 8);
    let terms = generate_glossary(&mut rng, 40 + n / 16);
    let rec_count = n * RECS_PER_STATEMENT;
    // Citation targets: half the time one of the 24 core instruments (every standard rests on
    // the same few Acts), otherwise any entry; never a superseded one (that is a warning).
    let citable: Vec<usize> = (0..instruments.len()).filter(|&i| instruments[i].superseded_by.is_none()).collect();
    let core: Vec<usize> = citable.iter().copied().filter(|&i| i < 24).collect();

    let mut statements = Vec::with_capacity(n);
    for index in 0..n {
        statements.push(generate_statement(&mut rng, index, n, &instruments, &citable, &core, &pictures));
    }
    let mut recs = Vec::with_capacity(rec_count);
    for index in 0..rec_count {
        recs.push(generate_rec(&mut rng, index, &instruments, &citable, &core));
    }
    // Every citable entry is cited somewhere, so every law page lists something.
    let mut cited = vec![false; instruments.len()];
    for cite in statements.iter().flat_map(|s| &s.cites).chain(recs.iter().flat_map(|r| &r.cites)) {
        cited[cite.instrument] = true;
    }
    for &i in &citable {
        if !cited[i] {
            let target = (i * 7919) % recs.len();
            let cite = Cite { instrument: i, pinpoint: None };
            if !recs[target].cites.contains(&cite) {
                recs[target].cites.push(cite);
            }
        }
    }
    Corpus { n, statements, recs, instruments, terms, pictures }
}

/// Every easy-read sentence (blocks, glossary, register) has at most 12 words and no
/// abbreviation (a word of two or more capital letters).
fn check_easy_read(corpus: &Corpus) -> Result<(), String> {
    let blocks =
        corpus.statements.iter().flat_map(|s| s.easy_read.iter().flat_map(|b| b.sentences.iter().map(String::as_str)));
    let others = corpus
        .terms
        .iter()
        .map(|t| t.easy_read.as_str())
        .chain(corpus.instruments.iter().map(|i| i.easy_read.as_str()));
    for text in blocks.chain(others) {
        for sentence in text.split_inclusive(['.', '?', '!']) {
            let count = words(sentence);
            let abbreviation = sentence
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase()));
            if count > EASY_MAX_WORDS || abbreviation {
                return Err(format!("generator bug: easy-read sentence breaks the easy-read rules: {sentence:?}"));
            }
        }
    }
    Ok(())
}

fn parse_pictures() -> Vec<(String, String)> {
    let mut pictures = Vec::new();
    let mut name: Option<String> = None;
    for line in PICTURES_YAML.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("- name:") {
            name = Some(rest.trim().to_string());
        } else if let (Some(rest), Some(n)) = (line.strip_prefix("alt:"), name.take()) {
            pictures.push((n, rest.trim().trim_matches('"').to_string()));
        }
    }
    assert!(pictures.len() >= 10, "themes/default/pictures/pictures.yaml lists too few pictures");
    pictures
}

fn pick_cites(rng: &mut Rng, count: usize, instruments: &[Instrument], citable: &[usize], core: &[usize]) -> Vec<Cite> {
    let mut cites: Vec<Cite> = Vec::with_capacity(count);
    let mut guard = 0;
    while cites.len() < count && guard < 100 {
        guard += 1;
        let instrument = if rng.chance(0.5) && !core.is_empty() {
            core[rng.below(core.len())]
        } else {
            citable[rng.below(citable.len())]
        };
        let pinpoints = instruments[instrument].pinpoints.len();
        // 77% of the sample's citations name a pinpoint.
        let pinpoint = (pinpoints > 0 && rng.chance(0.77)).then(|| rng.below(pinpoints));
        let cite = Cite { instrument, pinpoint };
        if !cites.contains(&cite) {
            cites.push(cite);
        }
    }
    cites
}

fn generate_statement(
    rng: &mut Rng,
    index: usize,
    n: usize,
    instruments: &[Instrument],
    citable: &[usize],
    core: &[usize],
    pictures: &[(String, String)],
) -> Statement {
    let number = index + 1;
    let title = format!("{} {}", rng.pick(TITLE_HEADS), rng.pick(TITLE_TAILS));
    let group = rng.pick(GROUPS);
    let statement = format!("{} {} {}.", group, rng.pick(STATEMENT_PREDICATES), rng.pick(QUALIFIERS));
    // Headline: one sentence of 18 to 24 words.
    let headline = loop {
        let mut h = format!(
            "{} {}",
            rng.pick(&["Children and young people in care", "Care leavers", "Children in care and care leavers"]),
            rng.pick(STATEMENT_PREDICATES)
        );
        while words(&h) < 18 {
            h.push_str(", ");
            h.push_str(rng.pick(QUALIFIERS));
        }
        if words(&h) <= HEADLINE_MAX_WORDS {
            break format!("{h}.");
        }
    };
    let plain = format!(
        "{} {}, {}. {}",
        rng.pick(&["Children and young people in care", "Children in care, and care leavers,", "Young people in care"]),
        rng.pick(STATEMENT_PREDICATES),
        rng.pick(QUALIFIERS),
        young_sentence(rng)
            .replace("You ", "They ")
            .replace("you ", "them ")
            .replace("your ", "their ")
            .replace("Your ", "Their ")
    );
    // Commissioners: about 100 words; a quarter of them end with a list, like the sample.
    let commissioners = if rng.chance(0.25) {
        let mut text = prose(rng, 55, formal_sentence);
        text.push_str(" Agree:\n");
        for _ in 0..rng.range(4, 5) {
            let _ = write!(text, "\n- {} {}", rng.pick(OBJECTS), rng.pick(QUALIFIERS));
        }
        text
    } else {
        {
            let target = around(rng, 100);
            prose(rng, target, formal_sentence)
        }
    };
    let providers = {
        let target = around(rng, 96);
        prose(rng, target, formal_sentence)
    };
    let carers = {
        let target = around(rng, 80);
        prose(rng, target, carer_sentence)
    };
    let young_people = {
        let target = around(rng, 52);
        prose(rng, target, young_sentence)
    };
    let who_to_ask = format!(
        "The child's {}, or the {}, who can {} and explain {}.",
        rng.pick(&["social worker", "supervising social worker", "independent reviewing officer", "personal adviser"]),
        rng.pick(&["looked-after children's nurse", "designated teacher", "virtual school head", "leaving care team"]),
        rng.pick(&[
            "help with records",
            "arrange support",
            "answer questions about the plan",
            "talk to other services"
        ]),
        rng.pick(&[
            "what can be shared",
            "what happens next",
            "who to contact out of hours",
            "the young person's rights"
        ])
    );

    let structure = (0..rng.weighted(1, &[3, 5, 4]))
        .map(|_| Measure {
            text: format!(
                "Evidence of local arrangements to make sure that {} {}, and that {} {}.",
                lower_first(rng.pick(OBJECTS)),
                rng.pick(&["is in place", "is reviewed", "is recorded", "is shared"]),
                rng.pick(OBJECTS),
                rng.pick(QUALIFIERS)
            ),
            numerator: None,
            denominator: None,
            data_source: "Local data collection.".to_string(),
        })
        .collect();
    let process = (0..rng.weighted(1, &[3, 5, 4]))
        .map(|_| Measure {
            text: format!(
                "{} whose {} {}.",
                rng.pick(GROUPS).trim_end_matches(','),
                rng.pick(&["care plan", "health assessment", "pathway plan", "personal education plan"]),
                rng.pick(QUALIFIERS)
            ),
            numerator: Some(format!(
                "who {} {} {}",
                rng.pick(&["had", "were given", "were offered", "took part in"]),
                rng.pick(OBJECTS),
                rng.pick(QUALIFIERS)
            )),
            denominator: Some(format!(
                "{} {}",
                lower_first(rng.pick(GROUPS).trim_end_matches(',')),
                rng.pick(&[
                    "in the year",
                    "who moved placement in the year",
                    "who left care in the year",
                    "placed out of area in the year"
                ])
            )),
            data_source: "Local data collection.".to_string(),
        })
        .collect();
    let outcome = (0..rng.weighted(1, &[2, 8]))
        .map(|_| Measure {
            text: format!(
                "{} feel that {} {}.",
                rng.pick(&["Care leavers", "Children and young people in care", "Carers"]),
                lower_first(rng.pick(OBJECTS)),
                rng.pick(QUALIFIERS)
            ),
            numerator: None,
            denominator: None,
            data_source: rng
                .pick(&["Local data collection.", "Local survey of care leavers.", "Local survey of carers."])
                .to_string(),
        })
        .collect();

    let easy_read = (0..rng.weighted(4, &[3, 5, 3, 1]))
        .map(|_| {
            let (picture, alt) = &pictures[rng.below(pictures.len())];
            let sentences = (0..rng.weighted(2, &[6, 5, 1])).map(|_| easy_sentence(rng)).collect();
            Block { picture: picture.clone(), alt: alt.clone(), sentences }
        })
        .collect();

    // Recommendations and related statements stay inside the statement's standard of 12.
    let standard = index / STANDARD;
    let first = standard * STANDARD;
    let last = (first + STANDARD).min(n);
    let rec_first = first * RECS_PER_STATEMENT;
    let rec_last = last * RECS_PER_STATEMENT;
    let mut recommendations = BTreeSet::new();
    let want = rng.weighted(2, &[3, 3, 3, 3]);
    while recommendations.len() < want.min(rec_last - rec_first) {
        recommendations.insert(rng.range(rec_first, rec_last - 1));
    }
    let mut related = BTreeSet::new();
    let want = rng.weighted(2, &[3, 6, 3]).min(last - first - 1);
    while related.len() < want {
        let other = rng.range(first, last - 1);
        if other != index {
            related.insert(other);
        }
    }
    let count = rng.weighted(4, &[2, 4, 3, 2, 1]);
    let cites = pick_cites(rng, count, instruments, citable, core);
    let paras = rng.weighted(2, &[1, 1]);
    let rationale = {
        let target = around(rng, 190);
        paragraphs(rng, target, paras)
    };
    Statement {
        id: format!("qs-{number}"),
        number,
        slug: slug(&title),
        title,
        statement,
        headline,
        plain,
        audiences: [commissioners, providers, carers, young_people],
        who_to_ask,
        structure,
        process,
        outcome,
        easy_read,
        recommendations: recommendations.into_iter().collect(),
        cites,
        related: related.into_iter().collect(),
        rationale,
    }
}

fn generate_rec(rng: &mut Rng, index: usize, instruments: &[Instrument], citable: &[usize], core: &[usize]) -> Rec {
    let number = index + 1;
    let title = match rng.below(3) {
        0 => format!("{} {}", rng.pick(REC_TITLE_VERBS), rng.pick(OBJECTS)),
        1 => format!("{} {} {}", rng.pick(REC_TITLE_VERBS), rng.pick(OBJECTS), rng.pick(QUALIFIERS)),
        _ => cap(rng.pick(OBJECTS)),
    };
    let who_count = rng.weighted(1, &[3, 4, 2]);
    let mut who: Vec<String> = Vec::new();
    while who.len() < who_count {
        let w = rng.pick(WHO).to_string();
        if !who.contains(&w) {
            who.push(w);
        }
    }
    let count = rng.weighted(2, &[14, 6, 4, 2]);
    let cites = pick_cites(rng, count, instruments, citable, core);
    let mut body = format!("{} {}\n\n", formal_sentence(rng), formal_sentence(rng));
    for _ in 0..rng.weighted(1, &[3, 4, 8, 3, 2]) {
        let _ = writeln!(body, "- {} {} {}.", cap(rng.pick(VERBS)), rng.pick(OBJECTS), rng.pick(QUALIFIERS));
    }
    body.push('\n');
    body.push_str(&prose(rng, 25, formal_sentence));
    Rec {
        id: format!("rec-{number}"),
        number,
        slug: slug(&title),
        title,
        topic: rng.pick(TOPICS).to_string(),
        who,
        cites,
        body,
    }
}

fn generate_register(rng: &mut Rng, count: usize) -> Vec<Instrument> {
    let mut instruments: Vec<Instrument> = Vec::with_capacity(count);
    let mut ids = BTreeSet::new();
    while instruments.len() < count {
        let index = instruments.len();
        // The sample's mix: a third Acts, a sixth regulations, the rest guidance and standards.
        let kind = match index % 12 {
            0 | 3 | 6 | 9 => Kind::Act,
            1 | 7 => Kind::Regulations,
            2 | 5 | 10 => Kind::StatutoryGuidance,
            4 | 11 => Kind::Guidance,
            _ => Kind::Standards,
        };
        let subject = rng.pick(SUBJECTS);
        let year = rng.range(1948, 2024);
        let title = match kind {
            Kind::Act => format!("{subject} Act {year}"),
            Kind::Regulations => format!("The {subject} (England) Regulations {year}"),
            Kind::StatutoryGuidance => format!("{subject}: statutory guidance {year}"),
            Kind::Guidance => format!("{subject}: practice guidance {year}"),
            Kind::Standards => format!("{subject}: national minimum standards {year}"),
        };
        let id = slug(title.trim_start_matches("The "));
        if !ids.insert(id.clone()) {
            continue;
        }
        let chapter = rng.range(1, 60);
        let url = match kind {
            Kind::Act => format!("https://www.legislation.gov.uk/ukpga/{year}/{chapter}"),
            Kind::Regulations => format!("https://www.legislation.gov.uk/uksi/{year}/{}", rng.range(100, 3000)),
            _ => format!("https://www.gov.uk/government/publications/{id}"),
        };
        // Pinpoints: Acts have many sections, guidance few (sample: median 1, mean 2.3, max 17).
        let pinpoint_count = match kind {
            Kind::Act => rng.weighted(1, &[4, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1]),
            Kind::Regulations => rng.weighted(1, &[3, 3, 2, 2, 1, 1]),
            Kind::StatutoryGuidance => rng.weighted(0, &[3, 3, 2, 1]),
            Kind::Standards => rng.weighted(0, &[2, 2, 2, 1, 1]),
            Kind::Guidance => rng.weighted(0, &[3, 1]),
        };
        let mut pinpoints: Vec<Pinpoint> = Vec::new();
        let mut keys = BTreeSet::new();
        while pinpoints.len() < pinpoint_count {
            let n = rng.range(1, 60);
            let (key, label, url) = match kind {
                Kind::Act => {
                    let suffix = rng.pick(&["", "", "", "A", "B", "C", "ZA"]);
                    (
                        format!("s{n}{suffix}"),
                        format!("section {n}{suffix}"),
                        Some(format!("{url}/section/{n}{suffix}")),
                    )
                }
                Kind::Regulations => {
                    (format!("reg{n}"), format!("regulation {n}"), Some(format!("{url}/regulation/{n}")))
                }
                Kind::StatutoryGuidance => {
                    let para = rng.range(1, 80);
                    if rng.chance(0.5) {
                        (format!("ch{}", n % 12 + 1), format!("chapter {}", n % 12 + 1), None)
                    } else {
                        (format!("para{}.{para}", n % 12 + 1), format!("paragraph {}.{para}", n % 12 + 1), None)
                    }
                }
                Kind::Standards => (format!("std{}", n % 30 + 1), format!("standard {}", n % 30 + 1), None),
                Kind::Guidance => (format!("ch{}", n % 10 + 1), format!("chapter {}", n % 10 + 1), None),
            };
            if keys.insert(key.clone()) {
                let title = rng.chance(0.9).then(|| rng.pick(SECTION_TITLES).to_string());
                pinpoints.push(Pinpoint { key, label, title, url });
            }
        }
        let publisher = match kind {
            Kind::Act => "UK Parliament",
            Kind::Regulations => "UK Government",
            _ => "Department for Education",
        };
        let what = lower_first(subject);
        let summary = format!(
            "{} about {} for children in care and care leavers, including {}.",
            match kind {
                Kind::Act => "The law",
                Kind::Regulations => "Detailed rules",
                Kind::StatutoryGuidance => "Guidance that councils must follow",
                Kind::Guidance => "Practice guidance",
                Kind::Standards => "The standards services must meet",
            },
            what,
            lower_first(rng.pick(OBJECTS))
        );
        let easy_read = format!(
            "{} how councils help children in care.",
            if matches!(kind, Kind::Act | Kind::Regulations) {
                "This is the law that says"
            } else {
                "This is a guide that says"
            }
        );
        instruments.push(Instrument {
            id,
            title,
            kind,
            year,
            publisher,
            superseded_by: None,
            url,
            summary,
            easy_read,
            carer: rng.chance(1.0 / 3.0),
            pinpoints,
        });
    }
    // One entry in 12 has been superseded by a later one (the sample: 2 of 24).
    for index in (11..count).step_by(12) {
        let by = (index + 1..count).chain(0..index).find(|&j| instruments[j].superseded_by.is_none() && j % 12 != 11);
        instruments[index].superseded_by = by;
    }
    instruments
}

fn generate_glossary(rng: &mut Rng, count: usize) -> Vec<Term> {
    let mut terms: Vec<Term> = BASE_TERMS
        .iter()
        .map(|(id, term, abbreviations, definition, easy_read)| Term {
            id: id.to_string(),
            term: term.to_string(),
            abbreviations: abbreviations.iter().map(|a| a.to_string()).collect(),
            definition: definition.to_string(),
            easy_read: easy_read.to_string(),
        })
        .collect();
    let mut ids: BTreeSet<String> = terms.iter().map(|t| t.id.clone()).collect();
    let mut abbreviations: BTreeSet<String> = terms.iter().flat_map(|t| t.abbreviations.clone()).collect();
    let mut guard = 0;
    while terms.len() < count && guard < count * 50 {
        guard += 1;
        let term = match rng.below(3) {
            0 => format!("{} {}", cap(rng.pick(TERM_HEADS)), rng.pick(TERM_TAILS)),
            1 => format!("{} {} {}", cap(rng.pick(TERM_HEADS)), rng.pick(TERM_HEADS), rng.pick(TERM_TAILS)),
            _ => format!(
                "{} {} {}",
                cap(rng.pick(&["local", "regional", "national", "joint", "independent", "specialist"])),
                rng.pick(TERM_HEADS),
                rng.pick(TERM_TAILS)
            ),
        };
        let id = slug(&term);
        if !ids.insert(id.clone()) {
            continue;
        }
        let mut abbreviation = Vec::new();
        if rng.chance(0.4) {
            let initials: String =
                term.split_whitespace().filter_map(|w| w.chars().next()).map(|c| c.to_ascii_uppercase()).collect();
            if initials.len() >= 2 && abbreviations.insert(initials.clone()) {
                abbreviation.push(initials);
            }
        }
        let definition = format!(
            "A {} used by {} to {} {}.",
            term.to_lowercase(),
            lower_first(rng.pick(ACTORS)),
            rng.pick(VERBS),
            rng.pick(OBJECTS)
        );
        let easy_read = format!(
            "This is a {} about {}. It helps people look after you.",
            rng.pick(&["plan", "meeting", "group", "list", "check"]),
            rng.pick(ER_TOPICS)
        );
        terms.push(Term { id, term, abbreviations: abbreviation, definition, easy_read });
    }
    terms
}

// ---------------------------------------------------------------------------------------------
// YAML helpers

/// A YAML scalar: plain when that is safe, double-quoted otherwise.
fn scalar(text: &str) -> String {
    let plain_safe = !text.is_empty()
        && text.chars().all(|c| c.is_ascii_alphanumeric() || " '-.,()/".contains(c))
        && !text.starts_with(['-', '\'', '(', ' '])
        && !text.ends_with(' ')
        && text.parse::<f64>().is_err()
        && !["yes", "no", "true", "false", "null", "on", "off"].contains(&text.to_ascii_lowercase().as_str());
    if plain_safe {
        text.to_string()
    } else {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

/// A folded block (`>-`), wrapped at about 100 columns, indented by `indent` spaces.
fn folded(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::from(">-\n");
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && pad.len() + line.len() + 1 + word.len() > 100 {
            let _ = writeln!(out, "{pad}{line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    let _ = writeln!(out, "{pad}{line}");
    out
}

/// A literal block (`|`) for Markdown, indented by `indent` spaces.
fn literal(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let mut out = String::from("|\n");
    for line in wrap_markdown(text).lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{pad}{line}");
        }
    }
    out
}

/// Wraps Markdown paragraphs at about 100 columns, keeping list items and blank lines.
fn wrap_markdown(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        if line.is_empty() {
            out.push('\n');
            continue;
        }
        let (first_prefix, rest_prefix, body) = match line.strip_prefix("- ") {
            Some(body) => ("- ", "  ", body),
            None => ("", "", line),
        };
        let mut current = first_prefix.to_string();
        let mut empty = true;
        for word in body.split_whitespace() {
            if !empty && current.len() + 1 + word.len() > 96 {
                out.push_str(&current);
                out.push('\n');
                current = rest_prefix.to_string();
                empty = true;
            }
            if !empty {
                current.push(' ');
            }
            current.push_str(word);
            empty = false;
        }
        out.push_str(&current);
        out.push('\n');
    }
    out
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| scalar(s)).collect::<Vec<_>>().join(", "))
}

// ---------------------------------------------------------------------------------------------
// guidepress output

fn write_guidepress(corpus: &Corpus, out: &Path) -> std::io::Result<()> {
    fs::create_dir_all(out.join("statements"))?;
    fs::create_dir_all(out.join("recommendations"))?;
    let n = corpus.n;
    fs::write(
        out.join("site.yaml"),
        format!(
            "# Generated by examples/corpus.rs for the benchmark (issue 7). Do not edit.\n\
             title: Generated guidance library of {n} quality statements\n\
             short_title: Guidance library ({n})\n\
             publisher: Benchmark Publisher\n\
             reference: Generated benchmark corpus\n\
             version: \"1.0\"\n\
             date: 2024-01-01\n\
             language: en-GB\n\
             editions: [commissioner, carer, easy-read, pocket]\n\
             description: >-\n  A generated publication of {n} quality statements and {} recommendations, modelled on the\n  sizes of the sample publication, for measuring build speed.\n",
            corpus.recs.len()
        ),
    )?;
    fs::write(out.join("register.yaml"), register_yaml(corpus))?;
    fs::write(out.join("glossary.yaml"), glossary_yaml(corpus))?;
    for statement in &corpus.statements {
        let name = format!("statements/qs-{:05}-{}.md", statement.number, statement.slug);
        fs::write(out.join(name), statement_md(corpus, statement))?;
    }
    for rec in &corpus.recs {
        let name = format!("recommendations/rec-{:06}-{}.md", rec.number, rec.slug);
        fs::write(out.join(name), rec_md(corpus, rec))?;
    }
    Ok(())
}

fn register_yaml(corpus: &Corpus) -> String {
    let mut out = String::from("# Generated statutory register. Do not edit.\ninstruments:\n");
    for instrument in &corpus.instruments {
        let _ = writeln!(out, "\n  - id: {}", instrument.id);
        let _ = writeln!(out, "    title: {}", scalar(&instrument.title));
        let _ = writeln!(out, "    kind: {}", instrument.kind.yaml());
        let _ = writeln!(out, "    year: {}", instrument.year);
        let _ = writeln!(out, "    publisher: {}", instrument.publisher);
        match instrument.superseded_by {
            Some(by) => {
                let _ = writeln!(out, "    status: superseded\n    superseded_by: {}", corpus.instruments[by].id);
            }
            None => out.push_str("    status: in-force\n"),
        }
        let _ = writeln!(out, "    url: {}", instrument.url);
        let _ = write!(out, "    summary: {}", folded(&instrument.summary, 6));
        let _ = write!(out, "    easy_read: {}", folded(&instrument.easy_read, 6));
        if instrument.carer {
            out.push_str("    audiences: [commissioner, carer]\n");
        }
        if !instrument.pinpoints.is_empty() {
            out.push_str("    pinpoints:\n");
            for p in &instrument.pinpoints {
                let _ = writeln!(out, "      - key: {}\n        label: {}", p.key, scalar(&p.label));
                if let Some(title) = &p.title {
                    let _ = writeln!(out, "        title: {}", scalar(title));
                }
                if let Some(url) = &p.url {
                    let _ = writeln!(out, "        url: {url}");
                }
            }
        }
    }
    out
}

fn glossary_yaml(corpus: &Corpus) -> String {
    let mut out = String::from("# Generated glossary. Do not edit.\nterms:\n");
    for term in &corpus.terms {
        let _ = writeln!(out, "\n  - id: {}\n    term: {}", term.id, scalar(&term.term));
        if !term.abbreviations.is_empty() {
            let _ = writeln!(out, "    abbreviations: {}", list(&term.abbreviations));
        }
        let _ = write!(out, "    definition: {}", folded(&term.definition, 6));
        let _ = write!(out, "    easy_read: {}", folded(&term.easy_read, 6));
    }
    out
}

fn measures_yaml(out: &mut String, group: &str, measures: &[Measure]) {
    if measures.is_empty() {
        let _ = writeln!(out, "  {group}: []");
        return;
    }
    let _ = writeln!(out, "  {group}:");
    for m in measures {
        let _ = write!(out, "    - text: {}", folded(&m.text, 8));
        if let (Some(numerator), Some(denominator)) = (&m.numerator, &m.denominator) {
            let _ = write!(out, "      numerator: {}", folded(numerator, 8));
            let _ = write!(out, "      denominator: {}", folded(denominator, 8));
        }
        let _ = writeln!(out, "      data_source: {}", scalar(&m.data_source));
    }
}

fn statement_md(corpus: &Corpus, s: &Statement) -> String {
    let mut out = String::with_capacity(8192);
    let _ = writeln!(out, "---\nid: {}\nnumber: {}\ntitle: {}", s.id, s.number, scalar(&s.title));
    let _ = write!(out, "statement: {}", folded(&s.statement, 2));
    let _ = write!(out, "headline: {}", folded(&s.headline, 2));
    let _ = write!(out, "plain: {}", folded(&s.plain, 2));
    out.push_str("audiences:\n");
    for (key, text) in ["commissioners", "providers", "carers", "young_people"].iter().zip(&s.audiences) {
        let _ = write!(out, "  {key}: {}", literal(text, 4));
    }
    let _ = write!(out, "who_to_ask: {}", folded(&s.who_to_ask, 2));
    out.push_str("measures:\n");
    measures_yaml(&mut out, "structure", &s.structure);
    measures_yaml(&mut out, "process", &s.process);
    measures_yaml(&mut out, "outcome", &s.outcome);
    out.push_str("easy_read:\n");
    for block in &s.easy_read {
        let _ = writeln!(out, "  - picture: {}\n    alt: {}\n    text: |", block.picture, scalar(&block.alt));
        for sentence in &block.sentences {
            let _ = writeln!(out, "      {sentence}");
        }
    }
    let recs: Vec<String> = s.recommendations.iter().map(|&r| corpus.recs[r].id.clone()).collect();
    let _ = writeln!(out, "recommendations: {}", list(&recs));
    out.push_str("cites:\n");
    for cite in &s.cites {
        let _ = writeln!(out, "  - {}", corpus.cite_text(cite));
    }
    let related: Vec<String> = s.related.iter().map(|&r| corpus.statements_id(r)).collect();
    let _ = writeln!(out, "related: {}", list(&related));
    out.push_str("---\n\n");
    out.push_str(&wrap_markdown(&s.rationale));
    out
}

impl Corpus {
    fn statements_id(&self, index: usize) -> String {
        format!("qs-{}", index + 1)
    }
}

fn rec_md(corpus: &Corpus, r: &Rec) -> String {
    let mut out = String::with_capacity(1024);
    let _ = writeln!(
        out,
        "---\nid: {}\nnumber: {}\ntitle: {}\ntopic: {}\nwho: {}",
        r.id,
        r.number,
        scalar(&r.title),
        scalar(&r.topic),
        list(&r.who)
    );
    if !r.cites.is_empty() {
        out.push_str("cites:\n");
        for cite in &r.cites {
            let _ = writeln!(out, "  - {}", corpus.cite_text(cite));
        }
    }
    out.push_str("---\n\n");
    out.push_str(&wrap_markdown(&r.body));
    out
}

// ---------------------------------------------------------------------------------------------
// Hugo output

/// The four editions as Hugo output formats: (format name, output folder, display name, law style).
const EDITIONS: &[(&str, &str, &str)] = &[
    ("commissioner", "commissioner", "Commissioner and provider edition"),
    ("carer", "carer", "Carers' edition"),
    ("easyread", "easy-read", "Easy read for young people"),
    ("pocket", "pocket", "Pocket handbook"),
];

fn write_hugo(corpus: &Corpus, out: &Path) -> std::io::Result<()> {
    for dir in [
        "content/statements",
        "content/recommendations",
        "content/law",
        "data",
        "layouts/partials",
        "static/assets/pictures",
    ] {
        fs::create_dir_all(out.join(dir))?;
    }
    fs::write(out.join("hugo.yaml"), hugo_config(corpus))?;
    for (name, text) in HUGO_LAYOUTS {
        let path = out.join("layouts").join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(path, text)?;
    }
    // One small wrapper per page kind and edition: Hugo picks templates by output format.
    for (format, _, _) in EDITIONS {
        for (dir, file, partial) in [
            ("statements", "single", "statement"),
            ("statements", "list", "edition-index"),
            ("recommendations", "single", "recommendation"),
            ("recommendations", "list", "recommendations"),
            ("law", "taxonomy", "law-index"),
            ("law", "term", "law"),
            ("glossary", "single", "glossary"),
        ] {
            let dir = out.join("layouts").join(dir);
            fs::create_dir_all(&dir)?;
            fs::write(
                dir.join(format!("{file}.{format}.html")),
                format!("{{{{ partial \"page.html\" (dict \"p\" . \"ed\" \"{format}\" \"body\" \"{partial}\") }}}}\n"),
            )?;
        }
    }

    // Static files: the same stylesheet and pictures guidepress copies.
    let theme = Path::new(THEME_DIR);
    fs::copy(theme.join("assets/style.css"), out.join("static/assets/style.css"))?;
    for (name, _) in &corpus.pictures {
        fs::copy(theme.join(format!("pictures/{name}.svg")), out.join(format!("static/assets/pictures/{name}.svg")))?;
    }
    if theme.join("pictures/law.svg").exists() {
        fs::copy(theme.join("pictures/law.svg"), out.join("static/assets/pictures/law.svg"))?;
    }

    // Data: the register keyed by id (for citations) and the glossary.
    let mut register = String::new();
    for instrument in &corpus.instruments {
        let _ = writeln!(register, "{}:", instrument.id);
        let _ = writeln!(register, "  title: {}", scalar(&instrument.title));
        let _ = writeln!(register, "  kind: {}", scalar(instrument.kind.label()));
        let _ = writeln!(register, "  url: {}", instrument.url);
        let _ = writeln!(
            register,
            "  status: {}",
            if instrument.superseded_by.is_some() { "superseded" } else { "in-force" }
        );
        let _ = write!(register, "  summary: {}", folded(&instrument.summary, 4));
        let _ = write!(register, "  easy_read: {}", folded(&instrument.easy_read, 4));
        let _ = writeln!(register, "  carer: {}", instrument.carer);
        if instrument.pinpoints.is_empty() {
            register.push_str("  pinpoints: {}\n");
        } else {
            register.push_str("  pinpoints:\n");
            for p in &instrument.pinpoints {
                let _ = writeln!(register, "    {}:\n      label: {}", scalar(&p.key), scalar(&p.label));
                if let Some(title) = &p.title {
                    let _ = writeln!(register, "      title: {}", scalar(title));
                }
                if let Some(url) = &p.url {
                    let _ = writeln!(register, "      url: {url}");
                }
            }
        }
    }
    fs::write(out.join("data/register.yaml"), register)?;
    fs::write(out.join("data/glossary.yaml"), glossary_yaml(corpus))?;

    fs::write(out.join("content/_index.md"), "---\ntitle: Home\n---\n")?;
    fs::write(out.join("content/statements/_index.md"), "---\ntitle: Statements\n---\n")?;
    fs::write(
        out.join("content/recommendations/_index.md"),
        "---\ntitle: Recommendations\noutputs: [commissioner]\n---\n",
    )?;
    fs::write(out.join("content/law/_index.md"), "---\ntitle: The law and guidance behind this standard\n---\n")?;
    fs::write(
        out.join("content/glossary.md"),
        "---\ntitle: Glossary\ntype: glossary\noutputs: [commissioner, carer, easyread, pocket]\n---\n",
    )?;
    for (index, instrument) in corpus.instruments.iter().enumerate() {
        let dir = out.join("content/law").join(&instrument.id);
        fs::create_dir_all(&dir)?;
        let mut fm = format!(
            "---\ntitle: {}\nid: {}\nweight: {}\nkind_label: {}\nyear: {}\npublisher: {}\n",
            scalar(&instrument.title),
            instrument.id,
            index + 1,
            scalar(instrument.kind.label()),
            instrument.year,
            instrument.publisher
        );
        match instrument.superseded_by {
            Some(by) => {
                let _ = writeln!(fm, "status: Superseded\nsuperseded_by: {}", corpus.instruments[by].id);
            }
            None => fm.push_str("status: In force\n"),
        }
        let _ = writeln!(fm, "official_url: {}", instrument.url);
        let _ = write!(fm, "summary: {}", folded(&instrument.summary, 2));
        let _ = write!(fm, "easy_read: {}", folded(&instrument.easy_read, 2));
        if !instrument.pinpoints.is_empty() {
            fm.push_str("pinpoints:\n");
            for p in &instrument.pinpoints {
                let _ = writeln!(fm, "  - key: {}\n    label: {}", scalar(&p.key), scalar(&p.label));
                if let Some(title) = &p.title {
                    let _ = writeln!(fm, "    title: {}", scalar(title));
                }
                let _ = writeln!(fm, "    url: {}", p.url.as_deref().unwrap_or(&instrument.url));
            }
        }
        fm.push_str("---\n");
        fs::write(dir.join("_index.md"), fm)?;
    }

    for s in &corpus.statements {
        let mut text = statement_md(corpus, s);
        // The same file, plus what Hugo needs: a weight for ordering and the taxonomy terms.
        let law: BTreeSet<&str> = s.cites.iter().map(|c| corpus.instruments[c.instrument].id.as_str()).collect();
        let extra =
            format!("weight: {}\nlaw: {}\n", s.number, list(&law.iter().map(|s| s.to_string()).collect::<Vec<_>>()));
        text.insert_str(4, &extra);
        fs::write(out.join(format!("content/statements/{}.md", s.id)), text)?;
    }
    // Which statements draw on each recommendation. guidepress works this out itself; the Hugo
    // site is given it, so Hugo does not pay for a reverse lookup in templates.
    let mut drawn_from: Vec<Vec<String>> = vec![Vec::new(); corpus.recs.len()];
    for s in &corpus.statements {
        for &r in &s.recommendations {
            drawn_from[r].push(s.id.clone());
        }
    }
    for (r, statements) in corpus.recs.iter().zip(drawn_from) {
        let mut text = rec_md(corpus, r);
        let law: BTreeSet<&str> = r.cites.iter().map(|c| corpus.instruments[c.instrument].id.as_str()).collect();
        let extra = format!(
            "weight: {}\noutputs: [commissioner]\nlaw: {}\n{}",
            r.number,
            list(&law.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
            if statements.is_empty() { String::new() } else { format!("statements: {}\n", list(&statements)) }
        );
        text.insert_str(4, &extra);
        fs::write(out.join(format!("content/recommendations/{}.md", r.id)), text)?;
    }
    Ok(())
}

fn hugo_config(corpus: &Corpus) -> String {
    let n = corpus.n;
    let mut out = format!(
        "# Generated by examples/corpus.rs: the Hugo equivalent of the guidepress corpus.\n\
         baseURL: http://localhost/\n\
         languageCode: en-GB\n\
         title: Generated guidance library of {n} quality statements\n\
         uglyURLs: true\n\
         relativeURLs: true\n\
         disableKinds: [RSS, sitemap, robotsTXT, '404']\n\
         taxonomies:\n  law: law\n\
         markup:\n  goldmark:\n    renderer:\n      unsafe: false\n\
         params:\n  short_title: Guidance library ({n})\n  publisher: Benchmark Publisher\n  reference: Generated benchmark corpus\n  version: '1.0'\n  date: '2024-01-01'\n  description: A generated publication of {n} quality statements.\n  editions:\n"
    );
    for (format, folder, name) in EDITIONS {
        let _ = writeln!(out, "    {format}: {{ id: {folder}, name: {} }}", scalar(name));
    }
    out.push_str("outputFormats:\n");
    for (i, (format, folder, _)) in EDITIONS.iter().enumerate() {
        let _ = writeln!(out, "  {format}:\n    mediaType: text/html\n    isHTML: true\n    permalinkable: true\n    path: {folder}\n    baseName: index\n    weight: {}", i + 1);
    }
    out.push_str(
        "outputs:\n  home: [html]\n  page: [commissioner, carer, easyread, pocket]\n  section: [commissioner, carer, easyread, pocket]\n  taxonomy: [commissioner, carer, easyread, pocket]\n  term: [commissioner, carer, easyread, pocket]\n",
    );
    out
}

/// Hugo templates, written to mirror the default theme's templates: the same HTML, the same
/// per-edition choices (made from `site.Params.editions` the way guidepress reads edition files).
const HUGO_LAYOUTS: &[(&str, &str)] = &[
    ("index.html", include_str!("../benches/hugo/index.html")),
    ("partials/page.html", include_str!("../benches/hugo/page.html")),
    ("partials/statement.html", include_str!("../benches/hugo/statement.html")),
    ("partials/edition-index.html", include_str!("../benches/hugo/edition-index.html")),
    ("partials/recommendation.html", include_str!("../benches/hugo/recommendation.html")),
    ("partials/recommendations.html", include_str!("../benches/hugo/recommendations.html")),
    ("partials/law-index.html", include_str!("../benches/hugo/law-index.html")),
    ("partials/law.html", include_str!("../benches/hugo/law.html")),
    ("partials/law-list.html", include_str!("../benches/hugo/law-list.html")),
    ("partials/glossary.html", include_str!("../benches/hugo/glossary.html")),
    ("partials/glossary-map.html", include_str!("../benches/hugo/glossary-map.html")),
    ("partials/pagination.html", include_str!("../benches/hugo/pagination.html")),
];
