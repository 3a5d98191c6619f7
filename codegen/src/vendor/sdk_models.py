#!/usr/bin/env python3
"""Prints a vendor SDK's request and response models as JSON for `cloudbackup-codegen drift`.

Run with the venv that scripts/setup-python.sh makes (target/pyenv/bin/python):

    sdk_models.py find MODULE
        {"found": true, "dir": "...", "package": "tccli", "version": "3.1.175.1"} or
        {"found": false}: where an installed module is and which distribution holds it.
    sdk_models.py alibaba MODULE [ACTION...]
        The models of an Alibaba Cloud Python SDK (Darabonba/Tea models), in the shape of
        codegen/src/vendor/mod.rs (`Metadata`): every action (or those named), its
        `<Action>Request` and `<Action>ResponseBody`, and every model they use.

How the Alibaba models are read, without parsing their code as text:
- fields and types: the parameters of `__init__` and their annotations (resolved with
  typing.get_type_hints): str, int, float, bool, List[...], Dict[...], BinaryIO, models;
- wire names: each field is set alone to a sample value of its type and `to_map()` says under
  which key it goes;
- required: the SDK generator ends the comment above `self.<field> = <field>` with the line
  "This parameter is required." for parameters the API metadata marks required; that line
  (alone on its comment line) is the only signal the SDK keeps, so it is what is read.
"""

import importlib
import importlib.metadata
import importlib.util
import inspect
import json
import os
import sys
import typing

REQUIRED_MARK = "This parameter is required."


def distribution_of(module):
    top = module.split(".")[0]
    for dist in importlib.metadata.packages_distributions().get(top, []):
        return dist, importlib.metadata.version(dist)
    return None, None


def find(module):
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return {"found": False}
    package, version = distribution_of(module)
    return {
        "found": True,
        "dir": os.path.dirname(spec.origin),
        "package": package,
        "version": version,
    }


def is_model(tp):
    return inspect.isclass(tp) and hasattr(tp, "to_map") and hasattr(tp, "from_map")


def sample(tp):
    """A value of type `tp` that `to_map()` writes out."""
    origin = typing.get_origin(tp)
    if origin in (list, typing.List):
        (item,) = typing.get_args(tp) or (str,)
        return [sample(item)]
    if origin in (dict, typing.Dict):
        return {"k": "v"}
    if is_model(tp):
        return tp()
    if tp is bool:
        return True
    if tp is int:
        return 1
    if tp is float:
        return 1.5
    return "x"


class Reader:
    def __init__(self, module):
        self.models = importlib.import_module(module + ".models")
        self.objects = {}

    def kind(self, tp, where):
        origin = typing.get_origin(tp)
        if origin in (list, typing.List):
            args = typing.get_args(tp)
            if len(args) != 1:
                raise SystemExit(f"{where}: a list without one item type: {tp!r}")
            return {"kind": "array", "items": self.kind(args[0], where)}
        if origin in (dict, typing.Dict):
            return {"kind": "map"}
        if is_model(tp):
            self.model(tp)
            return {"kind": "object", "name": tp.__name__}
        if tp is str:
            return {"kind": "string"}
        if tp is bool:
            return {"kind": "bool"}
        if tp is int:
            return {"kind": "integer"}
        if tp is float:
            return {"kind": "float"}
        if tp in (bytes, typing.BinaryIO) or getattr(tp, "__name__", "") == "BinaryIO":
            return {"kind": "binary"}
        if tp is typing.Any:
            return {"kind": "map"}
        raise SystemExit(f"{where}: unsupported annotation {tp!r}")

    def comments(self, cls):
        """Comment lines above each `self.<name> = <name>` of `__init__`."""
        out, pending = {}, []
        for line in inspect.getsource(cls.__init__).splitlines():
            text = line.strip()
            if text.startswith("#"):
                pending.append(text[1:].strip())
            elif text.startswith("self.") and "=" in text:
                name = text[len("self."):].split("=")[0].strip()
                out[name] = pending
                pending = []
            elif text:
                pending = []
        return out

    def wire_name(self, cls, attr, tp):
        obj = cls()
        setattr(obj, attr, sample(tp))
        keys = list(obj.to_map().keys())
        if len(keys) != 1:
            raise SystemExit(f"{cls.__name__}.{attr}: to_map() wrote {keys}, expected one key")
        return keys[0]

    def model(self, cls):
        name = cls.__name__
        if name in self.objects:
            return name
        self.objects[name] = None  # a placeholder against cycles
        module = sys.modules[cls.__module__]
        hints = typing.get_type_hints(cls.__init__, globalns=vars(module))
        notes = self.comments(cls)
        fields = []
        for attr in inspect.signature(cls.__init__).parameters:
            if attr == "self":
                continue
            tp = hints.get(attr, str)
            lines = notes.get(attr, [])
            fields.append({
                "name": self.wire_name(cls, attr, tp),
                "type": self.kind(tp, f"{name}.{attr}"),
                "required": REQUIRED_MARK in lines,
                "doc": "\n".join(lines).strip(),
            })
        self.objects[name] = {"doc": (inspect.getdoc(cls) or "").strip(), "fields": fields}
        return name

    def action_names(self):
        names = []
        for attr in dir(self.models):
            if attr.endswith("ResponseBody"):
                action = attr[: -len("ResponseBody")]
                if hasattr(self.models, action + "Request"):
                    names.append(action)
        return sorted(names)

    def action(self, name):
        request = getattr(self.models, name + "Request", None)
        body = getattr(self.models, name + "ResponseBody", None)
        if request is None or body is None:
            return None
        return {"request": self.model(request), "response": self.model(body)}


def alibaba(module, wanted):
    reader = Reader(module)
    names = wanted or reader.action_names()
    actions = {}
    for name in names:
        action = reader.action(name)
        if action is not None:
            actions[name] = action
    package, version = distribution_of(module)
    return {
        "package": package,
        "version": version,
        "file": module + ".models",
        "actions": actions,
        "objects": reader.objects,
    }


def main(argv):
    if len(argv) >= 2 and argv[0] == "find":
        out = find(argv[1])
    elif len(argv) >= 2 and argv[0] == "alibaba":
        out = alibaba(argv[1], argv[2:])
    else:
        sys.stderr.write(__doc__)
        return 2
    json.dump(out, sys.stdout, indent=1, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
