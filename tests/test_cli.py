"""The command line: the `ask` contract, `kb check` and `kb load`, run as a user would run them."""

from __future__ import annotations

import json

from tests.support.process import run


def test_ask_batch_prints_one_json_object_per_line_in_order(tmp_path):
    """`ask --json --batch` reads JSON lines and answers each in order with the contract's
    fields."""
    batch = tmp_path / "q.jsonl"
    rows = [
        {"q": "ai chủ trì chỉ số 1.9", "lang": "vi", "extra": "ignored"},
        {"q": "hạn nộp kế hoạch", "as": "Sở Y tế", "now": "2024-07-01"},
        {"q": "Which indicators does the Department of Construction lead?", "lang": "en"},
    ]
    batch.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8"
    )
    p = run(["ask", "--json", "--batch", str(batch)], tmp_path)
    assert 0 == p.returncode, p.stderr
    answers = [json.loads(line) for line in p.stdout.splitlines()]
    assert 3 == len(answers)
    contract = {"intent", "agency", "indicators", "indicator", "deadlines", "text", "understood"}
    assert all(contract == set(a) for a in answers)
    assert ("indicator_agencies", "1.9") == (answers[0]["intent"], answers[0]["indicator"]["code"])
    assert ["Đài Khí tượng Thủy văn tỉnh"] == answers[0]["indicator"]["lead"]
    assert "deadlines" == answers[1]["intent"]
    assert {"date": "2024-07-20", "status": "upcoming"} == {
        k: answers[1]["deadlines"][0][k] for k in ("date", "status")
    }
    assert ("agency_indicators", "Sở Xây dựng") == (answers[2]["intent"], answers[2]["agency"])
    assert "Lead" in answers[2]["text"]


def test_ask_plain_text_with_as_and_now(tmp_path):
    """`ask` without --json prints the reply text."""
    p = run(
        ["ask", "--as", "Sở Công Thương", "--now", "2024-12-01", "hạn báo cáo kết quả"], tmp_path
    )
    assert 0 == p.returncode, p.stderr
    assert "10/12/2024" in p.stdout and "còn 9 ngày" in p.stdout


def test_ask_batch_bad_line_is_named(tmp_path):
    """A malformed batch line is reported with its line number."""
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"q": "a"}\nnot json\n', encoding="utf-8")
    p = run(["ask", "--json", "--batch", str(batch)], tmp_path)
    assert 0 != p.returncode
    assert "q.jsonl:2" in p.stderr


def test_bad_now_date(tmp_path):
    """--now must be a date."""
    p = run(["ask", "--now", "31/12/2024", "hạn"], tmp_path)
    assert 2 == p.returncode and "YYYY-MM-DD" in p.stderr


def test_kb_check_ok_and_broken(tmp_path, kb_dir):
    """`kb check` passes the shipped files and lists every problem of a broken copy, exiting 1."""
    ok = run(["kb", "check"], tmp_path)
    assert 0 == ok.returncode and ok.stdout.startswith("OK:")
    plan = kb_dir / "plan_18_kh_ubnd_2026.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8")
        .replace('"Công an tỉnh"', '"Cong an huyen"')
        .replace("date: 2026-01-21", "date: 2026-02-30"),
        encoding="utf-8",
    )
    bad = run(["kb", "check", str(kb_dir)], tmp_path)
    assert 1 == bad.returncode
    assert (
        "unknown agency 'Cong an huyen'" in bad.stdout
        and "the date '2026-02-30' does not exist" in bad.stdout
    )
    assert bad.stdout.count("unknown agency") > 5


def test_kb_load_new_version_and_refusal(tmp_path, kb_dir):
    """`kb load` stores a new version; a broken one is refused and the active version stays."""
    first = run(["kb", "show"], tmp_path)
    assert 0 == first.returncode and first.stdout.startswith("version 1,")
    plan = kb_dir / "plan_18_kh_ubnd_2026.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            '- {agency: "Đài khí tượng Thủy văn tỉnh"}', '- {agency: "Sở Y tế"}', 1
        ),
        encoding="utf-8",
    )
    loaded = run(["kb", "load", str(kb_dir), "--by", "Nguyễn Văn A"], tmp_path)
    assert 0 == loaded.returncode and "loaded version 2" in loaded.stdout
    plan.write_text("document: {}\n", encoding="utf-8")
    refused = run(["kb", "load", str(kb_dir)], tmp_path)
    assert 1 == refused.returncode and "active version is unchanged" in refused.stdout
    shown = run(["kb", "show"], tmp_path)
    assert shown.stdout.startswith("version 2,") and "Nguyễn Văn A" in shown.stdout
    answer = run(["ask", "--json", "ai chủ trì chỉ số 1.9"], tmp_path)
    assert ["Sở Y tế"] == json.loads(answer.stdout)["indicator"]["lead"]


def test_terminal_chat_without_token(tmp_path):
    """With no token, `python -m bot` opens the local chat on the same core."""
    p = run([], tmp_path, stdin="ai chủ trì chỉ số 1.5\n/lang en\nSở Tài\n1\n/quit\n")
    assert 0 == p.returncode, p.stderr
    assert "Sở Xây dựng (nước sạch đô thị)" in p.stdout
    assert "Which one do you mean?" in p.stdout
    assert "Sở Tài chính — indicators in plan 18/KH-UBND" in p.stdout


def test_bad_admin_ids_configuration(tmp_path):
    """A malformed ADMIN_TELEGRAM_IDS is a clear configuration error."""
    p = run(["ask", "x"], tmp_path, ADMIN_TELEGRAM_IDS="12,abc")
    assert 2 == p.returncode and "ADMIN_TELEGRAM_IDS" in p.stderr


def test_kb_check_refuses_a_duplicate_key_with_its_line(tmp_path, kb_dir):
    """`kb check` on a file where an indicator has two `lead:` keys exits 1 naming the file and
    line."""
    plan = kb_dir / "plan_18_kh_ubnd_2026.yaml"
    lines = plan.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("lead:"))
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines.insert(at, f'{indent}lead: [{{agency: "Sở Xây dựng"}}]')
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad = run(["kb", "check", str(kb_dir)], tmp_path)
    assert 1 == bad.returncode
    assert f"plan_18_kh_ubnd_2026.yaml:{at + 2}:" in bad.stdout
    assert "'lead' is written twice" in bad.stdout
