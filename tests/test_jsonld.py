"""The record as JSON-LD in the W3C DPV: parsed back with rdflib and queried with SPARQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

import ropa
from ropa.register.jsonld import DPV, EU_GDPR, write_jsonld
from tests.conftest import AS_OF

PREFIXES = """
PREFIX dpv: <https://w3id.org/dpv#>
PREFIX eu-gdpr: <https://w3id.org/dpv/legal/eu/gdpr#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX ropa: <urn:ropa:vocab:>
"""
#: Activities with a transfer to a third country that no adequacy decision covers.
WITHOUT_ADEQUACY = PREFIXES + """
SELECT DISTINCT ?id WHERE {
  ?act a dpv:Process ; dct:identifier ?id ; dpv:hasProcess ?transfer .
  ?transfer dpv:hasThirdCountry ?country .
  ?country a dpv:ThirdCountry .
  FILTER NOT EXISTS { ?transfer dpv:hasLegalBasis eu-gdpr:A45-3 }
} ORDER BY ?id
"""
#: ... and that no other transfer mechanism (Art 46 safeguard, Art 49 derogation) covers either.
WITHOUT_ANY_MECHANISM = PREFIXES + """
SELECT DISTINCT ?id WHERE {
  ?act a dpv:Process ; dct:identifier ?id ; dpv:hasProcess ?transfer .
  ?transfer dpv:hasThirdCountry ?country .
  ?country a dpv:ThirdCountry .
  FILTER NOT EXISTS { ?transfer dpv:hasLegalBasis ?basis }
} ORDER BY ?id
"""

TRANSFERS_ACTIVITIES = """activity_id,name,role,purposes,lawful_basis,data_subjects,data_categories,recipients,transfer_countries,transfer_safeguards,retention,security_measures,status,last_reviewed
T1,Support desk in Japan,controller,essential.service.operations.support,art6_1_b,customer,user.contact.email,jp-desk,,,P1Y,encryption,active,2026-06-01
T2,Newsletter,controller,marketing.communications.email,art6_1_a,customer,user.contact.email,us-dpf,,,P1Y,encryption,active,2026-06-01
T3,Cloud storage,controller,essential.service,art6_1_b,customer,user.name,us-scc,,,P1Y,encryption,active,2026-06-01
T4,Offshore development,controller,essential.service,art6_1_b,customer,user.name,none,IN,art49,P1Y,encryption,active,2026-06-01
T5,Accounting,controller,finance,art6_1_c,customer,user.name,nl-accountant,,,P7Y,encryption,active,2026-06-01
T6,Canadian reseller,controller,sales,art6_1_b,customer,user.name,ca-reseller,,,P1Y,encryption,active,2026-06-01
T7,Old chat tool,controller,operations,art6_1_f,employee,user.name,us-none,,,P1Y,encryption,retired,2026-06-01
T8,Ad pixel,controller,marketing.advertising,art6_1_a,visitor,user.device.cookie,us-adequacy,,,P1Y,encryption,active,2026-06-01
"""
TRANSFERS_RECIPIENTS = """recipient_id,name,kind,category,country,transfer_safeguard,contract_reference
jp-desk,Tokyo Desk KK,processor,third_party.service_provider.customer_support,JP,,DPA-1
us-dpf,Mailer Inc,processor,third_party.service_provider.email_marketing,US,dpf,DPA-2
us-scc,Storage Inc,processor,third_party.service_provider.hosting,US,scc,DPA-3
nl-accountant,Accountant B.V.,controller,third_party.professional_adviser,NL,,
ca-reseller,Maple Resellers Ltd,controller,third_party.business_partner,CA,,
us-none,Chatty Inc,processor,third_party.service_provider.communication,US,,DPA-4
us-adequacy,Pixel Inc,controller,third_party.advertising,US,adequacy,
"""


@pytest.fixture(scope="module")
def transfers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("transfers")
    (folder / "activities.csv").write_text(TRANSFERS_ACTIVITIES, encoding="utf-8")
    (folder / "recipients.csv").write_text(TRANSFERS_RECIPIENTS, encoding="utf-8")
    (folder / "organisation.yaml").write_text(
        "name: Transfers Test\ncontroller: {name: Transfers Test B.V., email: privacy@transfers.example}\n"
        "dpo: {name: Dee Pio, email: dpo@transfers.example}\n"
        "representative: {name: Rep Ltd, email: rep@transfers.example}\n", encoding="utf-8")
    return ropa.load_register(folder)


def _graph(register, tmp_path: Path, **kwargs) -> Graph:
    out = write_jsonld(register, tmp_path / "record.jsonld", date=AS_OF, **kwargs)
    return Graph().parse(out, format="json-ld")


def _ids(graph: Graph, query: str) -> list[str]:
    return [str(row.id) for row in graph.query(query)]


def test_pro_at_transfers_without_adequacy(pro_at, tmp_path: Path):
    graph = _graph(pro_at, tmp_path)
    assert _ids(graph, WITHOUT_ADEQUACY) == ["A15"]
    assert _ids(graph, WITHOUT_ANY_MECHANISM) == ["A15"]


def test_designed_register_has_known_answers(transfers, tmp_path: Path):
    graph = _graph(transfers, tmp_path)
    # T1 Japan and T6 Canada: adequacy; T2 US with DPF; T5 stays in the EEA; T7 is retired.
    assert _ids(graph, WITHOUT_ADEQUACY) == ["T3", "T4", "T8"]
    assert _ids(graph, WITHOUT_ANY_MECHANISM) == ["T8"]
    with_retired = _graph(transfers, tmp_path, include_retired=True)
    assert _ids(with_retired, WITHOUT_ADEQUACY) == ["T3", "T4", "T7", "T8"]
    assert _ids(with_retired, WITHOUT_ANY_MECHANISM) == ["T7", "T8"]
    # The answer agrees with the register checks.
    flagged = ropa.check(transfers, as_of=AS_OF)
    flagged = flagged[flagged["code"] == "transfer-without-safeguard"]
    assert set(flagged["recipient_id"].dropna()) == {"us-none", "us-adequacy"}


def test_the_record_in_dpv_terms(transfers, tmp_path: Path):
    graph = _graph(transfers, tmp_path)
    dpv = lambda name: URIRef(DPV + name)  # noqa: E731
    processes = set(graph.subjects(predicate=URIRef("http://purl.org/dc/terms/identifier")))
    acts = [s for s in processes if (s, URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), dpv("Process"))
            in graph]
    assert len(acts) == 7
    rows = list(graph.query(PREFIXES + """
        SELECT ?name ?dpo ?rep WHERE {
          ?record a dpv:RecordsOfActivities ; dpv:hasDataController ?org .
          ?org dpv:hasName ?name ; dpv:hasDataProtectionOfficer ?d ; dpv:hasRepresentative ?r .
          ?d dpv:hasName ?dpo . ?r dpv:hasName ?rep .
        }"""))
    assert [(str(r.name), str(r.dpo), str(r.rep)) for r in rows] == [("Transfers Test B.V.", "Dee Pio", "Rep Ltd")]
    t2 = list(graph.query(PREFIXES + """
        SELECT ?basis ?notation ?duration ?measure ?purpose WHERE {
          ?act dct:identifier "T2" ; dpv:hasLegalBasis ?basis ; dpv:hasPersonalData ?pd ;
               dpv:hasStorageCondition ?s ; dpv:hasTechnicalOrganisationalMeasure ?m ; dpv:hasPurpose ?p .
          ?pd skos:notation ?notation . ?s a dpv:StorageDuration ; dpv:hasDuration ?duration .
          ?m rdfs:label ?measure . ?p skos:notation ?purpose .
        }""".replace("rdfs:label", "<http://www.w3.org/2000/01/rdf-schema#label>")))
    assert len(t2) == 1
    row = t2[0]
    assert row.basis == URIRef(EU_GDPR + "A6-1-a")
    assert str(row.notation) == "user.contact.email" and str(row.purpose) == "marketing.communications.email"
    assert row.duration == Literal("P1Y", datatype=URIRef("http://www.w3.org/2001/XMLSchema#duration"))
    assert str(row.measure) == "encryption"
    recipients = {str(r.name) for r in graph.query(PREFIXES + """
        SELECT ?name WHERE { ?act dct:identifier "T3" ; dpv:hasRecipient ?r . ?r a dpv:DataProcessor ;
                              dpv:hasName ?name ; dpv:hasCountry ?c . }""")}
    assert recipients == {"Storage Inc"}


def test_same_register_and_date_give_the_same_file(pro_at, tmp_path: Path):
    one = write_jsonld(pro_at, tmp_path / "a.jsonld", date=AS_OF).read_text(encoding="utf-8")
    two = write_jsonld(pro_at, tmp_path / "b.jsonld", date=AS_OF).read_text(encoding="utf-8")
    assert one == two
    assert '"dpv": "https://w3id.org/dpv#"' in one and "eu-gdpr:A9-2-b" in one
