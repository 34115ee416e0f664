"""The batch stages on Apache Spark: screening and extraction, with the same functions
that run on one machine (pyspark is the optional ``spark`` extra; see docs/scale.md)."""

from redthread.spark.session import SparkUnavailable, spark_session

__all__ = ["SparkUnavailable", "spark_session"]
