"""A synthetic site of N cases in our format, for benchmarks and speed tests.

Each case has a Finnish story, tags, the three facets, a `compare` block
with annotated bad and good replies (each note naming one or two of the
REPLY_PATTERNS of its kind), and approved comment files beside it,
so a build exercises every plugin the way the real blog will. The same
seed always gives the same files.

    python -m benchmarks.corpus 2000 /tmp/corpus    # writes /tmp/corpus/content
"""

from __future__ import annotations

import argparse
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hyva.commentfile import Comment, save
from hyva.header import write_header

ROOT = Path(__file__).resolve().parents[1]

STORY = [
    "Tilasin verkkokaupasta uuden puhelimen, ja toimitus myöhästyi kaksi viikkoa.",
    "Kysyin asiasta asiakaspalvelusta sähköpostilla ja odotin vastausta neljä päivää.",
    "Vastaus oli kohtelias, mutta se ei kertonut, milloin paketti saapuu.",
    "Soitin palvelunumeroon ja jonotin puoli tuntia ennen kuin kukaan vastasi.",
    "Myyjä pahoitteli tilannetta ja lupasi selvittää asian saman päivän aikana.",
    "Lasku tuli kahteen kertaan, vaikka olin maksanut sen jo edellisessä kuussa.",
    "Kirjoitin palautelomakkeeseen kiitoksen nopeasta ja ystävällisestä palvelusta.",
    "Yritys vastasi valmiilla pohjalla, josta näki, ettei viestiäni ollut luettu.",
    "Toisella kerralla vastaaja käytti nimeäni ja tarttui juuri minun kysymykseeni.",
    "Hyvä vastaus ei ole pitkä, mutta siitä näkee, että joku on ajatellut asiaa.",
    "Asiakas ei halua kuulla sääntöjä, vaan sen, mitä hänen asialleen tapahtuu seuraavaksi.",
    "Muuttofirman miehet kantoivat tavarat kolmanteen kerrokseen ilman hissiä.",
    "Kahvilan työntekijä huomasi virheen itse ja toi uuden annoksen pyytämättä.",
    "Pankin chat-palvelu ohjasi minut puhelinpalveluun, joka ohjasi minut takaisin chattiin.",
    "Vakuutusyhtiö pyysi samat liitteet kolmeen kertaan eri lomakkeilla.",
    "Sähköyhtiön uutiskirjeessä luki, että asiakaspalvelu on suljettu juhlapyhinä.",
    "Sain viikon päästä kirjeen, jossa minua kiitettiin kärsivällisyydestä.",
    "Virhe korjattiin, mutta kukaan ei kertonut, mitä oli tapahtunut.",
    "Vastauksessa oli kolme kappaletta yrityksen omaa historiaa ja yksi lause asiastani.",
    "Palautteeseen vastaaminen on halvin tapa pitää asiakas tyytyväisenä.",
]
HEADINGS = ["Mitä tapahtui", "Vastaus", "Mikä meni pieleen", "Mikä toimi", "Opetus"]
REPLY_BAD = [
    "Kiitos viestistäsi, se on välitetty eteenpäin.",
    "Toimitusehtojemme mukaan toimitusaika voi olla enintään kolme viikkoa.",
    "Jos ollaan aivan tarkkoja, olisit voinut lukea ohjeet ennen tilaamista.",
    "Emme valitettavasti voi tehdä asialle mitään.",
]
REPLY_GOOD = [
    "Pahoittelen, että jouduit odottamaan näin kauan.",
    "Tarkistin tilauksesi: paketti lähtee varastolta huomenna aamulla.",
    "Hyvitämme toimituskulut, ja saat siitä vahvistuksen sähköpostiisi.",
    "Kerro minulle suoraan, jos jokin on vielä epäselvää.",
]
NOTES_BAD = ["Ei kerro, mitä seuraavaksi tapahtuu.", "Syyllistää asiakasta.",
             "Piiloutuu ehtojen taakse."]
NOTES_GOOD = ["Ottaa vastuun heti alussa.", "Kertoo konkreettisen seuraavan askeleen.",
              "Puhuttelee asiakasta henkilönä."]
TAGS = ["kiitos", "reklamaatio", "myöhästyminen", "lasku", "palautus", "hyvitys",
        "anteeksipyyntö", "vastausaika", "valmispohja", "sävy", "empatia", "ohjeet",
        "jonotus", "takuu", "toimitus", "asiakaskokemus", "palautteeseen vastaaminen",
        "virhe", "yllätys", "lupaus"]
CATEGORIES = ["Palaute", "Reklamaatiot", "Kiitokset", "Laskutus", "Toimitukset"]
COMMENTERS = ["Menninkäinen", "Tiina K.", "Asiakas77", "Pekka", "Kahvinjuoja",
              "Hannele", "Jussi M.", "Lukija"]
COMMENT_TEXT = [
    "Sama kokemus minulla, ja vastaus oli lähes sanasta sanaan sama.",
    "Hyvä esimerkki siitä, miten pieni anteeksipyyntö muuttaa koko sävyn.",
    "Kiitos tästä! Näytin tämän koko tiimillemme.",
    "Onko yritys muuttanut tapojaan sen jälkeen?",
]


def real_settings() -> dict:
    from pelican.settings import read_settings
    return read_settings(str(ROOT / "pelicanconf.py"))


def pattern_keys(settings: dict) -> dict[str, list[str]]:
    """The keys of REPLY_PATTERNS by kind: what a bad and a good note may name."""
    keys = {"fault": [], "strength": []}
    for key, entry in settings["REPLY_PATTERNS"].items():
        keys[entry["kind"]].append(key)
    return keys


def paragraph(rng: random.Random) -> str:
    return " ".join(rng.sample(STORY, rng.randint(3, 6)))


def annotated(rng: random.Random, sentences: list[str], notes: list[str],
              patterns: list[str]) -> str:
    chosen = rng.sample(sentences, 3)
    marked = rng.randrange(3)
    tags = " ".join(f"#{key}" for key in rng.sample(patterns, rng.randint(1, 2)))
    chosen[marked] = f"{{=={chosen[marked]}==}}{{>>{rng.choice(notes)} {tags}<<}}"
    return " ".join(chosen)


def comparison(rng: random.Random, title: str, patterns: dict[str, list[str]]) -> str:
    bad = annotated(rng, REPLY_BAD, NOTES_BAD, patterns["fault"])
    good = annotated(rng, REPLY_GOOD, NOTES_GOOD, patterns["strength"])
    return (f"//// compare | {title}\n"
            f"/// bad | Yrityksen vastaus\n{bad}\n///\n"
            f"/// good | Parempi vastaus\n{good}\n///\n"
            "////\n")


def case_text(rng: random.Random, number: int, date: datetime, facets: dict,
              patterns: dict[str, list[str]]) -> str:
    title = f"Tapaus {number}: {rng.choice(STORY)[:-1]}"
    header = {
        "title": title,
        "date": date.strftime("%Y-%m-%d %H:%M"),
        "category": rng.choice(CATEGORIES),
        "tags": ", ".join(rng.sample(TAGS, rng.randint(2, 4))),
    }
    for facet, spec in facets.items():
        count = rng.randint(1, 2) if spec["multiple"] else 1
        header[facet] = ", ".join(rng.sample(spec["values"], count))
    header["summary"] = rng.choice(STORY)
    body = [paragraph(rng) for _ in range(2)]
    for heading in rng.sample(HEADINGS, 3):
        body.append(f"## {heading}\n\n{paragraph(rng)}\n\n{paragraph(rng)}")
    body.insert(2, comparison(rng, title, patterns))
    return write_header(header) + "\n\n".join(body) + "\n"


def comments_for(rng: random.Random, slug: str, date: datetime) -> list[Comment]:
    comments: list[Comment] = []
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 4])):
        parent = rng.choice(comments).id if comments and rng.random() < 0.3 else None
        comments.append(Comment(
            id=f"{rng.getrandbits(64):016x}", case=slug, author=rng.choice(COMMENTERS),
            date=date + timedelta(hours=rng.randint(1, 400)),
            text=f"{rng.choice(COMMENT_TEXT)}\n\n{rng.choice(COMMENT_TEXT)}",
            parent=parent, role="author" if parent and rng.random() < 0.3 else None))
    return comments


def generate(count: int, root: Path, seed: int = 7) -> Path:
    """Write `count` cases, their comments and one page under `root/content`."""
    rng = random.Random(seed)
    settings = real_settings()
    facets, patterns = settings["CASE_FACETS"], pattern_keys(settings)
    content = root / "content"
    cases = content / "cases"
    cases.mkdir(parents=True, exist_ok=True)
    (content / "pages").mkdir(exist_ok=True)
    (content / "pages" / "tietoa.md").write_text(
        "Title: Tietoa blogista\nSlug: tietoa\n\nTestiaineisto nopeusmittauksiin.\n",
        encoding="utf-8")
    start = datetime(2010, 1, 1, 9, 0, tzinfo=timezone(timedelta(hours=2)))
    for number in range(1, count + 1):
        slug = f"tapaus-{number:05d}"
        date = start + timedelta(hours=37 * number)
        (cases / f"{slug}.md").write_text(case_text(rng, number, date, facets, patterns),
                                          encoding="utf-8")
        for comment in comments_for(rng, slug, date):
            save(content / "comments", comment)
    return content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("root", type=Path)
    args = parser.parse_args()
    print(generate(args.count, args.root))


if __name__ == "__main__":
    main()
