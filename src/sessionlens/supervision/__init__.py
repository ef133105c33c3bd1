"""Supervision packets: chosen sessions or excerpts with their measures and codes and the clinician's
questions, de-identified, reviewed by the clinician, exported as PDF or as a file sealed for one
supervisor account."""
