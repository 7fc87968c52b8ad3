"""The mistakes students make in this backward pass: how a (mistaken) backward pass is derived
(derivations.py), the catalogue of mistakes (catalogue.py), and the search for the smallest set of
them that reproduces a student's gradients (search.py)."""

from .catalogue import MISTAKES, MISTAKES_BY_NAME, Form, Mistake
from .derivations import RIGHT, Derivation, Derived, derive

__all__ = ["MISTAKES", "MISTAKES_BY_NAME", "RIGHT", "Derivation", "Derived", "Form", "Mistake", "derive"]
