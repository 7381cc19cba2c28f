"""Every file of the corpus gets its verdict: hostile ones refused with the words for what they carry,
valid ones accepted with what their signature says."""

from __future__ import annotations

import pytest
from documents_pdf_corpus import corpus

from documents.adapters import pdfcheck
from documents.adapters.pdfcheck import inspect_pdf
from documents.domain import PdfRefusedError

pytestmark = pytest.mark.unit

NAMES = [case.name for case in corpus(lambda data: data)]


def test_the_corpus_holds_at_least_thirty_hostile_and_ten_valid_files():
    cases = corpus(lambda data: data)
    assert sum(case.verdict is not None for case in cases) >= 30
    assert sum(case.verdict is None for case in cases) >= 10
    assert len(set(NAMES)) == len(NAMES)


@pytest.mark.parametrize("index", range(len(NAMES)), ids=NAMES)
def test_each_file_gets_its_verdict(index, samples):
    case = corpus(samples.signed)[index]
    data = case.build()
    if case.verdict is None:
        report = inspect_pdf(data)
        assert report.digitally_signed is (case.intact is not None)
        assert report.intact is case.intact
    else:
        with pytest.raises(PdfRefusedError) as refused:
            inspect_pdf(data)
        assert refused.value.reason == getattr(pdfcheck, case.verdict)
