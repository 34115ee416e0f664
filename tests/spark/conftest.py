"""One local Spark session (local[2]) for the Spark tests, and the bundled OFAC index."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pyspark.sql import SparkSession

from redthread.lists import BUNDLED_NAME, bundled_list_files, read_list
from redthread.match.index import MatchIndex
from redthread.spark import spark_session


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    with spark_session("local[2]", "redthread tests") as session:
        session.conf.set("spark.sql.shuffle.partitions", "4")
        yield session


@pytest.fixture(scope="session")
def ofac_index() -> MatchIndex:
    return MatchIndex.from_lists(read_list(bundled_list_files(), name=BUNDLED_NAME))
