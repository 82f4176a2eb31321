"""README promises: the two set-up commands at the top, and every limit documented with its default."""

import dataclasses
import re
from pathlib import Path

from imagegen.limits import Limits

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
CI = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()


def test_readme_starts_with_exactly_the_two_setup_commands() -> None:
    blocks = re.findall(r"```bash\n(.*?)\n```", README.split("\n## ")[0], flags=re.S)
    assert blocks[:2] == [
        "pip install -r requirements.txt && streamlit run app.py",
        "pip install -r requirements-dev.txt && python -m pytest",
    ]
    assert blocks[1] in CI, "CI runs the README's test command verbatim"


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def test_every_limit_is_in_the_readme_with_its_default() -> None:
    rows = dict(re.findall(r"`(\w+)` \| ([^|]+?) \|", README))
    mb = 1024 * 1024
    for field in dataclasses.fields(Limits):
        default = getattr(Limits(), field.name)
        assert field.name in rows, f"{field.name} is not documented in README.md"
        documented = rows[field.name]
        value = _number(re.match(r"[\d,.]+", documented).group())
        if "MB" in documented:
            value *= mb
        elif "megapixels" in documented:
            value *= 1_000_000
        assert value == default, f"README says {field.name} = {documented}, the code says {default}"
