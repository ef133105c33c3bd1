"""Durable processing jobs: the in-process runner (default) and Celery workers behind one interface.

* :mod:`.stages` — drives a job through the pipeline's stages (``services.pipeline``) with sealed,
  resumable checkpoints and a fenced lease;
* :mod:`.runner` — :class:`InProcessRunner`, :class:`CeleryRunner` (both ``dispatch(job_id)``);
* :mod:`.celery_app` — the Celery application run by ``sessionlens worker``.

Job rows live in ``vault.job_rows``; the keyring that lends a job its clinician's keys in
``services.keyring``; jobs are submitted through ``services.server_jobs`` (permissions, consent, audit).
This package sits at the edge with web and cli: it calls services, and services never import it.
"""
