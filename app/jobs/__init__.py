"""Background jobs: a registry of job kinds, submission to a backend, and the worker loop.

A job is a row in the `jobs` table (state, progress, cancel flag). The backend only decides how
a worker learns that a job is waiting: `embedded` workers poll the table (no server needed),
`redis` workers take job ids from an RQ queue. Either way, the worker runs `run_job(job_id)`.
"""
