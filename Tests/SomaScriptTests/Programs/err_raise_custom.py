class E(Exception):
    pass
raise E('mine')
