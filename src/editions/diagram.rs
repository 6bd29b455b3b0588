//! The connections diagram: an SVG, drawn at build time, of how the statements connect to each
//! other and to the law they cite, with a text alternative that lists the same connections.
//!
//! Statements sit in a column on the left and the law on the right; a line joins a statement to
//! each instrument it cites, and a dashed curve on the left joins related statements. The SVG is
//! an image with a title and description; the list beside it carries the same facts as text, so
//! no reader depends on seeing the picture.

use crate::text::markdown::escape;

/// A statement in the diagram.
pub struct Node<'a> {
    pub number: u32,
    pub title: &'a str,
    /// Indexes into the instruments of the diagram.
    pub cites: Vec<usize>,
    /// Indexes into the statements of the diagram.
    pub related: Vec<usize>,
}

const WIDTH: usize = 820;
const ROW: usize = 56;
const BOX_HEIGHT: usize = 44;
const LEFT_X: usize = 70;
const BOX_WIDTH: usize = 300;
const RIGHT_X: usize = 500;
const TOP: usize = 40;

/// Wraps a label onto at most two lines of about `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split_whitespace() {
        let current = lines.last_mut().map(|l| l.len()).unwrap_or(0);
        if current > 0 && current + 1 + word.len() > width {
            if lines.len() == 2 {
                if let Some(last) = lines.last_mut() {
                    last.push('…');
                }
                return lines;
            }
            lines.push(String::new());
        }
        if let Some(line) = lines.last_mut() {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

fn label(out: &mut String, x: usize, y: usize, text: &str) {
    let lines = wrap(text, 40);
    let first_y = y + BOX_HEIGHT / 2 + 5 - (lines.len() - 1) * 8;
    for (i, line) in lines.iter().enumerate() {
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" font-size=\"13\" fill=\"#0b0c0c\">{}</text>",
            x + 10,
            first_y + i * 16,
            escape(line)
        ));
    }
}

/// Draws the diagram. `instruments` are the titles of the instruments shown.
pub fn svg(title: &str, nodes: &[Node<'_>], instruments: &[&str]) -> String {
    let rows = nodes.len().max(instruments.len()).max(1);
    let height = TOP + rows * ROW + 20;
    let links: usize = nodes.iter().map(|n| n.cites.len()).sum();
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"connections\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" aria-labelledby=\"connections-title connections-desc\" focusable=\"false\">\
<title id=\"connections-title\">{}</title>\
<desc id=\"connections-desc\">{} statements on the left, {} Acts, regulations and guidance on the right, and {} lines showing which statement cites which. Dashed curves join related statements. The list after the diagram gives the same connections as text.</desc>",
        escape(title),
        nodes.len(),
        instruments.len(),
        links
    );
    out.push_str(&format!(
        "<text x=\"{LEFT_X}\" y=\"24\" font-size=\"15\" font-weight=\"700\" fill=\"#0b0c0c\">Statements</text><text x=\"{RIGHT_X}\" y=\"24\" font-size=\"15\" font-weight=\"700\" fill=\"#0b0c0c\">The law and guidance they cite</text>"
    ));
    let centre = |index: usize| TOP + index * ROW + BOX_HEIGHT / 2;
    // Lines first, so boxes sit on top of them.
    for (s, node) in nodes.iter().enumerate() {
        for &i in &node.cites {
            let (x1, y1, x2, y2) = (LEFT_X + BOX_WIDTH, centre(s), RIGHT_X, centre(i));
            out.push_str(&format!(
                "<path d=\"M{x1} {y1} C{} {y1} {} {y2} {x2} {y2}\" fill=\"none\" stroke=\"#1d70b8\" stroke-width=\"1.5\" stroke-opacity=\"0.6\"/>",
                x1 + 60,
                x2 - 60
            ));
        }
        for &r in node.related.iter().filter(|&&r| r > s) {
            let (y1, y2) = (centre(s), centre(r));
            let bulge = LEFT_X.saturating_sub(12 + (r - s).min(4) * 12);
            out.push_str(&format!(
                "<path d=\"M{LEFT_X} {y1} C{bulge} {y1} {bulge} {y2} {LEFT_X} {y2}\" fill=\"none\" stroke=\"#00703c\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>"
            ));
        }
    }
    for (s, node) in nodes.iter().enumerate() {
        let y = TOP + s * ROW;
        out.push_str(&format!(
            "<rect x=\"{LEFT_X}\" y=\"{y}\" width=\"{BOX_WIDTH}\" height=\"{BOX_HEIGHT}\" rx=\"4\" fill=\"#f3f2f1\" stroke=\"#0b0c0c\"/>"
        ));
        label(&mut out, LEFT_X, y, &format!("{}. {}", node.number, node.title));
    }
    for (i, instrument) in instruments.iter().enumerate() {
        let y = TOP + i * ROW;
        out.push_str(&format!(
            "<rect x=\"{RIGHT_X}\" y=\"{y}\" width=\"{BOX_WIDTH}\" height=\"{BOX_HEIGHT}\" rx=\"4\" fill=\"#ffffff\" stroke=\"#1d70b8\" stroke-width=\"2\"/>"
        ));
        label(&mut out, RIGHT_X, y, instrument);
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_one_line_per_citation_and_escapes_text() {
        let nodes = vec![
            Node { number: 1, title: "Care & <support>", cites: vec![0, 1], related: vec![1] },
            Node { number: 2, title: "Two", cites: vec![1], related: vec![0] },
        ];
        let svg = svg("Map", &nodes, &["Act A", "Act B"]);
        assert_eq!(svg.matches("stroke=\"#1d70b8\" stroke-width=\"1.5\"").count(), 3);
        assert_eq!(svg.matches("stroke-dasharray").count(), 1, "a related pair is drawn once");
        assert!(svg.contains("Care &amp; &lt;support&gt;"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<desc id=\"connections-desc\">2 statements"));
    }

    #[test]
    fn long_labels_wrap_to_two_lines() {
        let lines =
            wrap("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen", 20);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'));
    }
}
