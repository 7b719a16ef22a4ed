#!/usr/bin/env python3
"""Converts a YAML file (Allegro's OpenAPI spec) to compact JSON: yaml2json.py IN.yaml OUT.json

Timestamps stay the text they were written as (PyYAML would turn 2019-05-12T10:02:31Z into a datetime
object, and the checker must see the examples as the spec spells them)."""
import json
import os
import sys

try:
    import yaml
except ImportError:
    sys.exit("yaml2json: the Python 'yaml' module is missing (Debian package python3-yaml; scripts/install-deps --test)")


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.splitlines()[0])
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        document = yaml.load(f, Loader=Loader)
    temporary = target + ".tmp"
    with open(temporary, "w", encoding="utf-8") as f:
        json.dump(document, f, ensure_ascii=False, separators=(",", ":"))
    os.replace(temporary, target)


if __name__ == "__main__":
    main()
