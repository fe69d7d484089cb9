"""`discreet roster import`: a messy CRM export becomes a roster the policy loader accepts and the scanner uses."""

from __future__ import annotations

from pathlib import Path

from discreet.engine.policy import load_policy, parse_roster
from discreet.engine.scanner import Scanner

CRM_EXPORT = (
    "\ufeffAccount Name,Short Name,Other Names,Owner\n"  # Excel's byte-order mark
    '"  OAKFIELD   DENTAL GROUP ",ODG,Oakfield Dental,Sam\n'
    "riverside community hospital,RCH,,Jo\n"
    "Oakfield Dental Group,odg,Oakfield Dental; Oakfield Smiles,Sam\n"
    "Quayside Credit Union,ODG,,Al\n"
    ",,,Bo\n"
    "Hale & Partners,Hale,,Al\n"
    "fenwick-shaw,,,Al\n"
    '"o\'neill carter",,,X\n'
    "#1 Taxis,,,X\n"
    "St. Brendan's Care Home,St Brendans,,X\n"
)


def import_csv(cli, tmp_path: Path, content: str, *options: str):
    source = tmp_path / "crm.csv"
    source.write_text(content, encoding="utf-8")
    out = tmp_path / "clients.txt"
    run = cli("roster", "import", source, *options, "-o", out)
    return run, out


def test_import_tidies_merges_and_reports_what_it_dropped(cli, tmp_path):
    run, out = import_csv(
        cli,
        tmp_path,
        CRM_EXPORT,
        "--name-column",
        "Account Name",
        "--alias-column",
        "Short Name",
        "--alias-column",
        "Other Names",
    )
    assert run.status == 0
    entries = parse_roster(out, out.read_text(encoding="utf-8"), _Problems())
    assert [(e.name, e.aliases[1:], e.line) for e in entries] == [
        ("Oakfield Dental Group", ("ODG", "Oakfield Dental", "Oakfield Smiles"), 2),
        ("Riverside Community Hospital", ("RCH",), 3),
        ("Quayside Credit Union", (), 4),
        ("Hale & Partners", ("Hale",), 5),
        ("Fenwick-Shaw", (), 6),
        ("O'Neill Carter", (), 7),
        ("St. Brendan's Care Home", ("St Brendans",), 8),
    ]
    assert out.read_text(encoding="utf-8").startswith("# Roster imported from crm.csv")
    report = run.err.splitlines()
    assert report[0] == "7 entries (6 aliases) from 10 rows; dropped 6"
    assert report[1:] == [
        "  line 4: 'Oakfield Dental Group': duplicate of line 2; its aliases were merged",
        "  line 4: 'Odg': already listed for 'Oakfield Dental Group'",
        "  line 4: 'Oakfield Dental': already listed for 'Oakfield Dental Group'",
        "  line 5: 'ODG': alias of 'Quayside Credit Union' but already names 'Oakfield Dental Group' (line 2)",
        "  line 6: '': no name",
        "  line 10: '#1 Taxis': starts with '#', which makes a roster line a comment",
    ]


def test_imported_roster_works_in_a_policy(cli, tmp_path):
    import_csv(cli, tmp_path, CRM_EXPORT, "--name-column", "Account Name", "--alias-column", "Short Name")
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "recognizers:\n  - name: CRM clients\n    supported_entity: CLIENT\n    category: client\n"
        "    deny_list_file: clients.txt\n",
        encoding="utf-8",
    )
    findings = Scanner(load_policy(policy)).scan("Migrated ODG and hale & partners to the cloud.")
    assert [(f.text, f.explanation) for f in findings] == [
        ("ODG", "'ODG' is on the confidential client list (alias of Oakfield Dental Group)"),
        ("hale & partners", "'hale & partners' is on the confidential client list"),
    ]


def test_semicolon_separated_export(cli, tmp_path):
    run, out = import_csv(
        cli,
        tmp_path,
        "Name;Alias\nZorblax Ltd;ZBX|Zorb\nQuuxco;\n",
        "--name-column",
        "Name",
        "--alias-column",
        "Alias",
    )
    assert run.status == 0
    assert out.read_text(encoding="utf-8").splitlines()[1:] == ["Zorblax Ltd|ZBX|Zorb", "Quuxco"]


def test_unknown_column_is_an_error_listing_the_columns(cli, tmp_path):
    run, out = import_csv(cli, tmp_path, CRM_EXPORT, "--name-column", "Company")
    assert run.status == 2
    assert run.err.strip().endswith(
        "no column 'Company'; the columns are 'Account Name', 'Short Name', 'Other Names', 'Owner'"
    )
    assert not out.exists()


def test_an_export_that_is_not_utf8_is_a_clear_error(cli, tmp_path):
    source = tmp_path / "crm.csv"
    source.write_bytes("Name\nCaf\u00e9 Ltd\n".encode("latin-1"))
    run = cli("roster", "import", source, "--name-column", "Name")
    assert (run.status, run.err) == (
        2,
        f"discreet roster import: {source}: not UTF-8; export it as 'CSV UTF-8'\n",
    )


class _Problems:
    """Collects parse problems; an imported roster must have none."""

    def add(self, file: Path, line: int, message: str) -> None:
        raise AssertionError(f"{file}:{line}: {message}")
