"""Option objects: every field of the C++ option structs, readable and settable.

The fields, their defaults and their checks come from the C++ library itself (the JSON that
`msrf detect --dump-config` prints), so the two cannot drift apart. Setting a field checks it
at once, as the C++ `Validate()` does: a bad value raises ValueError naming the field.
"""

import copy
import json

from . import _msrf


def _plain(value):
    """numpy scalars and arrays as the JSON types they stand for."""
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class _Section:
    """One section of the options (`verify`, `edges`, ...): its fields as attributes."""

    __slots__ = ("_owner", "_name")

    def __init__(self, owner, name):
        object.__setattr__(self, "_owner", owner)
        object.__setattr__(self, "_name", name)

    def _values(self):
        return self._owner._data[self._name]

    def __getattr__(self, key):
        values = self._values()
        if key in values:
            return copy.deepcopy(values[key])
        raise AttributeError(f"{self._owner._kind}: unknown key '{self._name}.{key}'")

    def __setattr__(self, key, value):
        if key not in self._values():
            raise AttributeError(f"{self._owner._kind}: unknown key '{self._name}.{key}'")
        self._owner.update({self._name: {key: value}})

    def __dir__(self):
        return sorted(self._values())

    def __eq__(self, other):
        return isinstance(other, _Section) and self.to_dict() == other.to_dict()

    def to_dict(self):
        return copy.deepcopy(self._values())

    def __repr__(self):
        fields = ", ".join(f"{k}={v!r}" for k, v in self._values().items())
        return f"{self._owner._kind}.{self._name}({fields})"


class _Options:
    """Sections of fields; `to_dict()` is the JSON of `--dump-config` and `--config`."""

    _kind = ""

    @staticmethod
    def _normalise(text):
        raise NotImplementedError

    def __init__(self, options=None, **overrides):
        object.__setattr__(self, "_data", json.loads(self._normalise("")))
        object.__setattr__(self, "_json", None)
        if options is not None:
            self.update(options.to_dict() if isinstance(options, _Options) else options)
        if overrides:
            self.update(**overrides)

    @classmethod
    def from_dict(cls, values):
        """Options from a dict shaped like `to_dict()` (any subset of it)."""
        return cls(values)

    @classmethod
    def from_json(cls, text):
        """Options from JSON text, as `msrf detect --config FILE` reads it."""
        try:
            values = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"{cls._kind}: not JSON: {error}") from None
        return cls(values)

    def to_dict(self):
        return copy.deepcopy(self._data)

    def to_json(self, indent=2):
        return json.dumps(self._data, indent=indent)

    def copy(self):
        return type(self)(self._data)

    def update(self, values=None, **overrides):
        """Sets the fields `values` gives ({"verify": {"max_stretch": 1.2}, ...}), and each
        keyword: a section name with a dict, or a field name found in one section only
        (`max_detections=3`, `stretches=[1.0]`, `support_tolerance=0.05`)."""
        change = {}
        for section, fields in (values or {}).items():
            if not isinstance(fields, dict):
                raise ValueError(f"{self._kind}: section '{section}' must be a dict of fields")
            change.setdefault(section, {}).update(fields)
        for key, value in overrides.items():
            if key in self._data:
                if not isinstance(value, dict):
                    raise ValueError(f"{self._kind}: section '{key}' must be a dict of fields")
                change.setdefault(key, {}).update(value)
                continue
            homes = [s for s, fields in self._data.items() if key in fields]
            if not homes:
                raise ValueError(f"{self._kind}: unknown option '{key}'")
            if len(homes) > 1:
                raise ValueError(
                    f"{self._kind}: option '{key}' is in sections {', '.join(homes)}: give it "
                    f"as {homes[0]}={{'{key}': ...}}")
            change.setdefault(homes[0], {})[key] = value
        if not change:
            return self
        for section, fields in change.items():
            for key, value in fields.items():
                try:
                    fields[key] = _plain(value)
                    json.dumps(fields[key], allow_nan=False)
                except ValueError:
                    raise ValueError(f"{self._kind}: {section}.{key} must be finite, got "
                                     f"{value!r}") from None
                except TypeError:
                    raise ValueError(f"{self._kind}: {section}.{key}: {type(value).__name__} "
                                     "is not a number, text, flag or list") from None
        text = json.dumps(change)
        merged = self._normalise(self._merged_json(text))
        object.__setattr__(self, "_data", json.loads(merged))
        object.__setattr__(self, "_json", None)
        return self

    def _merged_json(self, change_text):
        merged = copy.deepcopy(self._data)
        for section, fields in json.loads(change_text).items():
            merged.setdefault(section, {}).update(fields)
        return json.dumps(merged)

    def _as_json(self):
        if self._json is None:
            object.__setattr__(self, "_json", json.dumps(self._data))
        return self._json

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._data:
            return _Section(self, name)
        raise AttributeError(f"{self._kind}: unknown section '{name}'")

    def __setattr__(self, name, value):
        if name not in self._data:
            raise AttributeError(f"{self._kind}: unknown section '{name}'")
        self.update({name: value.to_dict() if isinstance(value, _Section) else value})

    def __dir__(self):
        return sorted(self._data) + ["copy", "from_dict", "from_json", "to_dict", "to_json",
                                     "update"]

    def __eq__(self, other):
        return type(other) is type(self) and other._data == self._data

    def __repr__(self):
        defaults = json.loads(self._normalise(""))
        changed = [f"{s}.{k}={v!r}" for s, fields in self._data.items()
                   for k, v in fields.items() if defaults.get(s, {}).get(k) != v]
        return f"msrf.{self._kind}({', '.join(changed)})"


class DetectOptions(_Options):
    """Every option of `msrf detect` (the C++ `msrf::DetectOptions`), in sections: pyramid,
    edges, fragments, trees, candidates, hypotheses, potentials, verify, append, relaxation,
    mcmc, icm and detect (solver, max_detections, nms_iou, nms_inside, nms_inside_shared,
    min_score, mirror, stretches, seed).

        options = msrf.DetectOptions(max_detections=3)
        options.verify.max_stretch = 1.2
        options.to_dict()        # the JSON of `msrf detect --dump-config`
    """

    _kind = "DetectOptions"

    @staticmethod
    def _normalise(text):
        return _msrf._detect_options_json(text)


class FragmentOptions(_Options):
    """Every option of `msrf fragments` (the C++ `msrf::MultiscaleOptions`): pyramid, edges,
    fragments and trees."""

    _kind = "FragmentOptions"

    @staticmethod
    def _normalise(text):
        return _msrf._fragment_options_json(text)
