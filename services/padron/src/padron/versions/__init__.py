"""Padrón versions: the bimonthly list, frozen with each beneficiary's category when published."""
