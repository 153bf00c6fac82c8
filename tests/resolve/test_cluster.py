from pressurepoint.resolve.cluster import canonical_ids, cluster

SOURCES = {"ofac-1": "ofac", "uk-1": "uk", "ca-1": "ca", "ofac-2": "ofac", "uk-2": "uk"}


def _groups(result: object, nodes: list[str]) -> list[list[str]]:
    from pressurepoint.resolve.cluster import Clusters

    assert isinstance(result, Clusters)
    return sorted(result.groups(nodes))


def test_pairs_above_threshold_merge_transitively() -> None:
    scored = [("ofac-1", "uk-1", 0.95), ("uk-1", "ca-1", 0.9), ("ofac-2", "uk-2", 0.5)]
    result = cluster(SOURCES, scored, {}, 0.7)
    assert _groups(result, list(SOURCES)) == [
        ["ca-1", "ofac-1", "uk-1"], ["ofac-2"], ["uk-2"]]


def test_different_judgement_blocks_a_merge_even_through_a_chain() -> None:
    scored = [("ofac-1", "uk-1", 0.95), ("uk-1", "ca-1", 0.9)]
    result = cluster(SOURCES, scored, {("ca-1", "ofac-1"): "different"}, 0.7)
    assert _groups(result, ["ofac-1", "uk-1", "ca-1"]) == [["ca-1"], ["ofac-1", "uk-1"]]


def test_same_judgement_joins_below_threshold_and_unsure_does_not() -> None:
    scored = [("ofac-2", "uk-2", 0.5), ("ofac-1", "uk-1", 0.99)]
    judged = {("ofac-2", "uk-2"): "same", ("ofac-1", "uk-1"): "unsure"}
    result = cluster(SOURCES, scored, judged, 0.7)
    assert _groups(result, list(SOURCES)) == [
        ["ca-1"], ["ofac-1"], ["ofac-2", "uk-2"], ["uk-1"]]


def test_automatic_merge_never_joins_two_records_of_one_source() -> None:
    scored = [("ofac-1", "uk-1", 0.95), ("uk-1", "ofac-2", 0.9)]
    result = cluster(SOURCES, scored, {}, 0.7)
    assert ["ofac-1", "uk-1"] in _groups(result, list(SOURCES))
    assert ["ofac-2"] in _groups(result, list(SOURCES))


def test_canonical_ids_are_stable_and_merged_ids_redirect() -> None:
    first, _ = canonical_ids([["ofac-1", "uk-1"], ["ca-1"]], {})
    assert first["ca-1"] == "ca-1"
    assert first["ofac-1"] == first["uk-1"] and first["ofac-1"].startswith("pp-")
    second, redirects = canonical_ids([["ca-1", "ofac-1", "uk-1"]], first)
    assert second["ca-1"] == first["ofac-1"]  # the majority id survives
    assert redirects == {"ca-1": first["ofac-1"]}
