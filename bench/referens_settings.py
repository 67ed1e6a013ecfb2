"""Settings of the load test's gunicorn (`bench/last_synpunkter.sh`): the product's
settings with `bench.referens` as the URLconf, which adds the bare reference view
`/bench/referens/` to the product's URLs. Never used outside the benchmark."""

from kvalitet.settings import *  # noqa: F403

ROOT_URLCONF = "bench.referens"
