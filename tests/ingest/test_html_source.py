"""HTML reports (saved web pages) follow the same conventions as text: checkboxes, footnotes,
ordered lists and strengths/weaknesses tables. Text taken from the 2008 joint area review seed."""
from indexer.ingest.pipeline import build_report
from indexer.ingest.sources.html import read_html

PAGE = """<html><head><title>Joint area review</title></head><body>
<h1>Joint area review</h1><p><strong>Halton Children's Services Authority Area</strong></p>
<p><strong>Published:</strong> 22 July 2008</p>
<h2>Context</h2>
<ol start="5"><li>Halton is ranked the 30<sup>th</sup> most deprived borough in England<sup>1</sup>.</li></ol>
<p><sup>1</sup> Index of Multiple Deprivation 2007.</p>
<h2>Safeguarding</h2>
<table><tr><td>Inadequate</td><td><input type="checkbox"></td><td>Adequate</td><td><input type="checkbox"></td>
<td>Good</td><td><input type="checkbox"></td><td>Outstanding</td><td><input type="checkbox" checked></td></tr></table>
<ol start="16"><li><b>The contribution of local services to improving outcomes for children and young people at risk or requiring safeguarding is outstanding.</b></li></ol>
<table><tr><th>Major strengths</th><th>Important weaknesses</th></tr>
<tr><td><p>Very robust partnership working effectively underpinned by up-to-date policies, procedures and guidance.</p>
<p>Excellent progress to implement the Common Assessment Framework (CAF), which is having a good impact.</p></td>
<td><p>Some inconsistency in the quality of assessments.</p></td></tr></table>
<ol start="17"><li>Safeguarding in Halton is seen as 'everyone's business'.</li></ol>
</body></html>"""


def _report():
    return build_report(read_html(PAGE.encode()), "h", "jar.html")


def test_html_report_paragraphs():
    r = _report()
    got = [(p.kind, p.para_number, p.heading, p.section, p.grade, p.text) for p in r.paragraphs]
    assert got == [
        ("paragraph", "5", "Context", "Local context", None,
         "Halton is ranked the 30th most deprived borough in England."),
        ("footnote", None, "Context", "Local context", None, "Index of Multiple Deprivation 2007."),
        ("paragraph", "16", "Safeguarding", "Help and protection", "Outstanding",
         "The contribution of local services to improving outcomes for children and young people at "
         "risk or requiring safeguarding is outstanding."),
        ("bullet", None, "Major strengths", "Help and protection", "Outstanding",
         "Very robust partnership working effectively underpinned by up-to-date policies, procedures and guidance."),
        ("bullet", None, "Major strengths", "Help and protection", "Outstanding",
         "Excellent progress to implement the Common Assessment Framework (CAF), which is having a good impact."),
        ("bullet", None, "Important weaknesses", "Help and protection", "Outstanding",
         "Some inconsistency in the quality of assessments."),
        ("paragraph", "17", "Safeguarding", "Help and protection", "Outstanding",
         "Safeguarding in Halton is seen as 'everyone's business'."),
    ]


def test_html_report_metadata():
    r = _report()
    assert (r.authority, r.report_type, r.published) == ("Halton", "Joint area review", "2008-07-22")
